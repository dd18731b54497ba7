import { nextPeriodStart, parsePeriod, periodName, periodStartOf } from './billing-period';

describe('billing periods', () => {
  it('are calendar months in UTC, whatever the time of day', () => {
    expect(periodStartOf(new Date('2026-03-31T23:59:59.999Z'))).toEqual(
      new Date('2026-03-01T00:00:00Z'),
    );
    expect(periodStartOf(new Date('2026-04-01T00:00:00Z'))).toEqual(
      new Date('2026-04-01T00:00:00Z'),
    );
  });

  it('follow one another across the end of a year', () => {
    expect(nextPeriodStart(new Date('2026-12-01T00:00:00Z'))).toEqual(
      new Date('2027-01-01T00:00:00Z'),
    );
    expect(nextPeriodStart(new Date('2026-01-01T00:00:00Z'))).toEqual(
      new Date('2026-02-01T00:00:00Z'),
    );
  });

  it('are named YYYY-MM, and read back from that name', () => {
    const start = new Date('2026-02-01T00:00:00Z');
    expect(periodName(start)).toBe('2026-02');
    expect(parsePeriod('2026-02')).toEqual(start);
  });

  it.each(['2026-13', '2026-00', '2026-2', '26-02', '2026-02-01', ''])(
    'refuse %p as a period name',
    (name) => expect(parsePeriod(name)).toBeNull(),
  );
});
