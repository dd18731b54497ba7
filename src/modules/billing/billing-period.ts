/**
 * Billing periods are calendar months in UTC, named `YYYY-MM`; a period is identified by the
 * instant it starts.
 */
const PERIOD_NAME = /^(\d{4})-(0[1-9]|1[0-2])$/;

export const PERIOD_PATTERN = PERIOD_NAME.source;

export function periodStartOf(instant: Date): Date {
  return new Date(Date.UTC(instant.getUTCFullYear(), instant.getUTCMonth(), 1));
}

export function nextPeriodStart(start: Date): Date {
  return new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
}

export function periodName(start: Date): string {
  return `${start.getUTCFullYear()}-${String(start.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** The start of the period a `YYYY-MM` name stands for; null when it is not one. */
export function parsePeriod(name: string): Date | null {
  const match = PERIOD_NAME.exec(name);
  return match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, 1)) : null;
}
