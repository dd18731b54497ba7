import { QUEUE_DASHBOARD_PATH } from './queue-dashboard-path';

export const DASHBOARD_COOKIE = 'kiln_queue_dashboard';

/**
 * The Set-Cookie value of a dashboard session: sent back only to the dashboard's own paths, never
 * readable by scripts, never sent with a request another site starts, and only over HTTPS when the
 * request came over HTTPS.
 */
export function dashboardCookie(token: string, maxAgeSec: number, secure: boolean): string {
  return [
    `${DASHBOARD_COOKIE}=${token}`,
    `Path=${QUEUE_DASHBOARD_PATH}`,
    `Max-Age=${maxAgeSec}`,
    'HttpOnly',
    'SameSite=Strict',
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}

/** The dashboard session token a Cookie header carries, if any. */
export function dashboardToken(cookieHeader: string | undefined): string | undefined {
  for (const pair of cookieHeader?.split(';') ?? []) {
    const equals = pair.indexOf('=');
    if (equals > 0 && pair.slice(0, equals).trim() === DASHBOARD_COOKIE) {
      return pair.slice(equals + 1).trim() || undefined;
    }
  }
  return undefined;
}
