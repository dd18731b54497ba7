import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { DataSource } from 'typeorm';
import { UserRole } from '../src/common/auth/role';
import { BillingPeriodsProcessor } from '../src/modules/billing/billing-periods.processor';
import { Clock } from '../src/modules/billing/clock';
import { createAccount, TestAccount } from './support/accounts';
import { countRows, onPlan } from './support/billing';
import { sampleImage } from './support/media-samples';
import { expectProblem } from './support/problem';
import { startTestApp, TestApp } from './support/test-app';

const monthStart = (offset: number): Date => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1));
};

const periodOf = (start: Date) => start.toISOString().slice(0, 7);

describe('billing: invoices and period rollover', () => {
  let t: TestApp;
  let admin: TestAccount;
  let operator: TestAccount;
  let clock: Clock;

  beforeAll(async () => {
    t = await startTestApp();
    clock = t.app.get(Clock);
    [admin, operator] = await Promise.all([
      createAccount(t, UserRole.Admin),
      createAccount(t, UserRole.Operator),
    ]);
  });
  afterEach(() => jest.restoreAllMocks());
  afterAll(() => t.close());

  const setNow = (instant: Date) => jest.spyOn(clock, 'now').mockReturnValue(instant);
  const closePeriods = () => t.app.get(BillingPeriodsProcessor).closePeriods();

  it('schedules the closing of periods as a repeatable job', async () => {
    const queue = t.app.get<Queue>(getQueueToken('billing'));
    const repeatable = await queue.getRepeatableJobs();
    expect(repeatable).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'close-periods', cron: '5 * * * *' }),
      ]),
    );
  });

  describe('at the end of a period', () => {
    let account: TestAccount;
    let post: () => Promise<{ status: number }>;
    let uploadBytes: number;
    const thisMonth = monthStart(0);
    const nextMonth = monthStart(1);

    beforeAll(async () => {
      account = await createAccount(t);
      await onPlan(t, account, {
        priceCents: 1500,
        limits: { messages: 2 },
        overagePrices: { messages: 5 },
      });
      const conversation = (
        await t.http.post('/api/v1/conversations').set(account.auth).send({ title: 'i' })
      ).body.id;
      post = () =>
        t.http
          .post(`/api/v1/conversations/${conversation}/messages`)
          .set(account.auth)
          .send({ content: 'hello', reply: false });
      await t.http
        .post(`/api/v1/billing/users/${account.id}/credits`)
        .set(admin.auth)
        .send({ amount: 5, reason: 'Top-up' });
      for (let i = 0; i < 3; i++) expect((await post()).status).toBe(201);
      expect((await post()).status).toBe(402);
      const upload = await t.http
        .post('/api/v1/media')
        .set(account.auth)
        .attach('file', await sampleImage('png'));
      uploadBytes = upload.body.sizeBytes;
    });

    it('starts counting afresh, except storage, which is still there', async () => {
      setNow(new Date(nextMonth.getTime() + 60_000));
      expect((await post()).status).toBe(201);
      const usage = await t.http.get('/api/v1/billing/usage').set(account.auth);
      expect(usage.body.period).toBe(periodOf(nextMonth));
      const used = Object.fromEntries(
        usage.body.meters.map((m: { meter: string; used: number }) => [m.meter, m.used]),
      );
      expect(used).toMatchObject({ messages: 1, storage_bytes: uploadBytes });
      const last = await t.http
        .get(`/api/v1/billing/usage?period=${periodOf(thisMonth)}`)
        .set(account.auth);
      expect(last.body.meters.find((m: { meter: string }) => m.meter === 'messages').used).toBe(3);
    });

    it('writes one invoice, however often the closing job runs', async () => {
      setNow(new Date(nextMonth.getTime() + 120_000));
      await closePeriods();
      await closePeriods();
      expect(await countRows(t, 'invoices', 'user_id', account.id)).toBe(1);

      const list = await t.http.get('/api/v1/billing/invoices').set(account.auth);
      expect(list.status).toBe(200);
      expect(list.body.meta.total).toBe(1);
      const [summary] = list.body.data;
      expect(summary).toMatchObject({
        userId: account.id,
        period: periodOf(thisMonth),
        periodStart: thisMonth.toISOString(),
        periodEnd: nextMonth.toISOString(),
        currency: 'usd',
        subtotalCents: 1505,
        creditsAppliedCents: 5,
        totalCents: 1500,
      });
      expect(summary.lines).toBeUndefined();

      const invoice = await t.http.get(`/api/v1/billing/invoices/${summary.id}`).set(account.auth);
      expect(invoice.status).toBe(200);
      const lines = invoice.body.lines as {
        kind: string;
        meter: string | null;
        quantity: number;
        includedQuantity: number | null;
        amountCents: number;
      }[];
      expect(lines[0]).toMatchObject({ kind: 'plan', quantity: 1, amountCents: 1500 });
      expect(lines.find((l) => l.meter === 'messages')).toMatchObject({
        kind: 'usage',
        quantity: 3,
        includedQuantity: 2,
        amountCents: 5,
      });
      expect(lines.find((l) => l.meter === 'storage_bytes')).toMatchObject({
        quantity: uploadBytes,
        amountCents: 0,
      });
      expect(lines.at(-1)).toMatchObject({ kind: 'credits', amountCents: -5 });
      expect(lines.filter((l) => l.kind === 'usage')).toHaveLength(6);
    });

    it('opens the next period on the subscription', async () => {
      const [row] = await t.app
        .get(DataSource)
        .query('SELECT current_period_start FROM subscriptions WHERE user_id = $1', [account.id]);
      expect(row.current_period_start).toEqual(nextMonth);
    });

    it('lets operators and admins read the invoice, and no other user', async () => {
      const [summary] = (await t.http.get('/api/v1/billing/invoices').set(account.auth)).body.data;
      for (const staff of [operator, admin]) {
        expect(
          (await t.http.get(`/api/v1/billing/invoices/${summary.id}`).set(staff.auth)).status,
        ).toBe(200);
      }
      const other = await createAccount(t);
      expectProblem(
        await t.http.get(`/api/v1/billing/invoices/${summary.id}`).set(other.auth),
        403,
      );
      expect((await t.http.get('/api/v1/billing/invoices').set(other.auth)).body.data).toEqual([]);
    });
  });

  it('writes an invoice for every month a closing job missed, oldest first', async () => {
    const account = await createAccount(t);
    await t.http.get('/api/v1/billing/subscription').set(account.auth);
    setNow(new Date(monthStart(3).getTime() + 1000));
    await closePeriods();
    const periods = (await t.http.get('/api/v1/billing/invoices').set(account.auth)).body.data.map(
      (invoice: { period: string }) => invoice.period,
    );
    expect(periods).toEqual([monthStart(2), monthStart(1), monthStart(0)].map(periodOf));
  });

  it('answers 404 for an invoice that does not exist and 400 for a malformed id', async () => {
    const account = await createAccount(t);
    expectProblem(
      await t.http
        .get('/api/v1/billing/invoices/6f1c1c8e-7d6a-4c39-9f57-3f0f0d7b9c11')
        .set(account.auth),
      404,
    );
    expectProblem(await t.http.get('/api/v1/billing/invoices/latest').set(account.auth), 400);
  });
});
