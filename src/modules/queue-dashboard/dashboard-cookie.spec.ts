import { dashboardCookie, dashboardToken } from './dashboard-cookie';

describe('dashboard cookie', () => {
  it('is HttpOnly, SameSite=Strict and scoped to the dashboard; Secure only when asked', () => {
    expect(dashboardCookie('t0k3n', 900, false)).toBe(
      'kiln_queue_dashboard=t0k3n; Path=/admin/queues-dashboard; Max-Age=900; HttpOnly; SameSite=Strict',
    );
    expect(dashboardCookie('t0k3n', 900, true)).toMatch(/; Secure$/);
  });

  it('is read from a Cookie header among other cookies', () => {
    expect(dashboardToken('a=1; kiln_queue_dashboard=x.y.z; b=2')).toBe('x.y.z');
    expect(dashboardToken('kiln_queue_dashboard=x.y.z')).toBe('x.y.z');
  });

  it('is absent when the header lacks it, names it differently, or leaves it empty', () => {
    expect(dashboardToken(undefined)).toBeUndefined();
    expect(dashboardToken('a=1; b=2')).toBeUndefined();
    expect(dashboardToken('xkiln_queue_dashboard=x.y.z')).toBeUndefined();
    expect(dashboardToken('kiln_queue_dashboard=')).toBeUndefined();
  });
});
