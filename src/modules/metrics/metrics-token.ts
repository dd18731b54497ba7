import { timingSafeEqual } from 'node:crypto';

/** True when no token is configured, or the Authorization header carries exactly that token. */
export function metricsTokenAccepted(
  expected: string | undefined,
  authorization?: string,
): boolean {
  if (!expected) return true;
  const presented = authorization?.startsWith('Bearer ') ? authorization.slice(7) : '';
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
