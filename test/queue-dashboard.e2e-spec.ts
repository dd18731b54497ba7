import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Response } from 'supertest';
import { UserRole } from '../src/common/auth/role';
import { JOB_QUEUE_NAMES } from '../src/modules/jobs/job-queue';
import { createAccount, TestAccount } from './support/accounts';
import { launchChromium } from './support/browser';
import { expectProblem } from './support/problem';
import { startTestApp, TestApp } from './support/test-app';

const DASHBOARD = '/admin/queues-dashboard';
const QUEUES = [...JOB_QUEUE_NAMES, 'webhooks'];

/** The `name=value` part of the dashboard cookie an answer sets. */
function sessionCookie(response: Response): string {
  const header = ([] as string[]).concat(response.headers['set-cookie'] ?? []);
  const cookie = header.find((c) => c.startsWith('kiln_queue_dashboard='));
  if (!cookie) throw new Error(`no dashboard cookie in ${JSON.stringify(header)}`);
  return cookie.split(';')[0];
}

describe('queue dashboard', () => {
  let t: TestApp;
  let base: string;
  let admin: TestAccount;
  let user: TestAccount;

  beforeAll(async () => {
    t = await startTestApp();
    base = await t.app.getUrl();
    [admin, user] = await Promise.all([createAccount(t, UserRole.Admin), createAccount(t)]);
  });
  afterAll(() => t.close());

  const openSession = (account: TestAccount) =>
    t.http.post('/api/v1/admin/queues-dashboard/session').set(account.auth);

  describe('in a browser', () => {
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;
    /** URLs outside the application's origin that the browser fetched or tried to. */
    let fetchedElsewhere: string[];

    beforeAll(async () => {
      browser = await launchChromium();
    });
    afterAll(() => browser?.close());
    beforeEach(async () => {
      context = await browser.newContext();
      fetchedElsewhere = [];
      const outside = (url: string) => !url.startsWith(`${base}/`);
      context.on('requestfinished', (request) => {
        if (outside(request.url())) fetchedElsewhere.push(request.url());
      });
      // The CSP stops the browser before it sends anything; any other failure means it tried.
      context.on('requestfailed', (request) => {
        if (outside(request.url()) && request.failure()?.errorText !== 'csp') {
          fetchedElsewhere.push(request.url());
        }
      });
      page = await context.newPage();
    });
    afterEach(() => context.close());

    async function signIn(account: TestAccount): Promise<void> {
      await page.goto(`${base}${DASHBOARD}/`);
      expect(page.url()).toBe(`${base}${DASHBOARD}/login`);
      await page.fill('input[name=email]', account.email);
      await page.fill('input[name=password]', account.password);
      await page.click('button[type=submit]');
    }

    it('lets an admin sign in and shows every queue, loading nothing from elsewhere', async () => {
      const sessionCount = async () =>
        (await t.http.get('/api/v1/auth/sessions').set(admin.auth)).body.length as number;
      const sessionsBefore = await sessionCount();
      await signIn(admin);
      await page.waitForURL(`${base}${DASHBOARD}/`);
      for (const queue of QUEUES) await page.getByText(queue, { exact: true }).first().waitFor();

      const [cookie] = await context.cookies();
      expect(cookie).toMatchObject({
        name: 'kiln_queue_dashboard',
        path: DASHBOARD,
        httpOnly: true,
        sameSite: 'Strict',
        secure: false,
      });
      expect(fetchedElsewhere).toEqual([]);
      // The sign-in page keeps no token: it ended the refresh session it opened.
      expect(await sessionCount()).toBe(sessionsBefore);
    });

    it('sends an anonymous visitor to the sign-in page', async () => {
      const response = await page.goto(`${base}${DASHBOARD}/queue/jobs-thumbnail`);
      expect(page.url()).toBe(`${base}${DASHBOARD}/login`);
      expect((await response!.request().redirectedFrom()!.response())!.status()).toBe(303);
      await page.getByRole('button', { name: 'Sign in' }).waitFor();
      expect(fetchedElsewhere).toEqual([]);
    });

    it('refuses a plain user at sign-in, and gives them no session', async () => {
      await signIn(user);
      await page.getByText('This account may not open the queue dashboard (403)').waitFor();
      expect(await context.cookies()).toEqual([]);
      await page.goto(`${base}${DASHBOARD}/`);
      expect(page.url()).toBe(`${base}${DASHBOARD}/login`);
    });

    it('shows a 403 page once the account is no longer an admin', async () => {
      const demoted = await createAccount(t, UserRole.Admin);
      await signIn(demoted);
      await page.waitForURL(`${base}${DASHBOARD}/`);

      const role = await t.http
        .patch(`/api/v1/users/${demoted.id}/role`)
        .set(admin.auth)
        .send({ role: 'user' });
      expect(role.status).toBe(200);
      const response = await page.reload();
      expect(response!.status()).toBe(403);
      await page.getByText('Only admins may open the queue dashboard.').waitFor();
    });
  });

  describe('over HTTP', () => {
    it('answers the board, its JSON and its assets 401 without a session', async () => {
      for (const path of ['/api/queues', '/static/images/logo.svg']) {
        expectProblem(await t.http.get(`${DASHBOARD}${path}`), 401);
      }
      const page = await t.http.get(`${DASHBOARD}/`).set('Accept', 'text/html');
      expect(page.status).toBe(303);
      expect(page.headers.location).toBe(`${DASHBOARD}/login`);
    });

    it('takes neither an access token nor a forged cookie in place of a session', async () => {
      expectProblem(await t.http.get(`${DASHBOARD}/api/queues`).set(admin.auth), 401);
      const forged = `kiln_queue_dashboard=${admin.accessToken}`;
      expectProblem(await t.http.get(`${DASHBOARD}/api/queues`).set('Cookie', forged), 401);
    });

    it('gives an admin a short-lived HttpOnly, SameSite=Strict cookie for the dashboard only', async () => {
      const response = await openSession(admin);
      expect(response.status).toBe(204);
      expect(response.headers['set-cookie']).toEqual([
        expect.stringMatching(
          /^kiln_queue_dashboard=[\w-]+\.[\w-]+\.[\w-]+; Path=\/admin\/queues-dashboard; Max-Age=900; HttpOnly; SameSite=Strict$/,
        ),
      ]);
      const queues = await t.http
        .get(`${DASHBOARD}/api/queues`)
        .set('Cookie', sessionCookie(response));
      expect(queues.status).toBe(200);
      expect(queues.body.queues.map((q: { name: string }) => q.name).sort()).toEqual(
        [...QUEUES].sort(),
      );
    });

    it('opens sessions for access tokens only, not API keys', async () => {
      const key = await t.http.post('/api/v1/api-keys').set(admin.auth).send({ name: 'dashboard' });
      expect(key.status).toBe(201);
      const response = await t.http
        .post('/api/v1/admin/queues-dashboard/session')
        .set('X-API-Key', key.body.key);
      expectProblem(response, 403);
    });

    it('is read-only: changes go through the audited admin API', async () => {
      const cookie = sessionCookie(await openSession(admin));
      const pause = await t.http
        .put(`${DASHBOARD}/api/queues/webhooks/pause`)
        .set('Cookie', cookie);
      expect(pause.status).toBe(405);
      const counts = await t.http.get('/api/v1/admin/queues').set(admin.auth);
      expect(counts.body.find((q: { name: string }) => q.name === 'webhooks').paused).toBe(false);
    });

    it('refuses a session whose account was deactivated since', async () => {
      const other = await createAccount(t, UserRole.Admin);
      const cookie = sessionCookie(await openSession(other));
      expect((await t.http.get(`${DASHBOARD}/api/queues`).set('Cookie', cookie)).status).toBe(200);

      const deactivate = await t.http.post(`/api/v1/users/${other.id}/deactivate`).set(admin.auth);
      expect(deactivate.status).toBe(200);
      const refused = await t.http.get(`${DASHBOARD}/api/queues`).set('Cookie', cookie);
      expect(expectProblem(refused, 403).detail).toBe('The account is deactivated.');
    });
  });
});
