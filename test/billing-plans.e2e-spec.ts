import { DataSource } from 'typeorm';
import { UserRole } from '../src/common/auth/role';
import { createAccount, TestAccount } from './support/accounts';
import { createPlan, onPlan } from './support/billing';
import { expectProblem } from './support/problem';
import { startTestApp, TestApp } from './support/test-app';

const METERS = [
  'jobs',
  'processing_seconds',
  'storage_bytes',
  'embedding_documents',
  'messages',
  'tokens',
];

const TERMS = {
  name: 'Studio',
  description: 'For studios',
  priceCents: 4900,
  currency: 'eur',
  limits: {
    jobs: 500,
    processing_seconds: 7200,
    storage_bytes: 10_000_000_000,
    embedding_documents: null,
    messages: 3000,
    tokens: 4_000_000,
  },
  overagePrices: {
    jobs: 3,
    processing_seconds: 2,
    storage_bytes: 8,
    embedding_documents: null,
    messages: 1,
    tokens: 2,
  },
  rateLimitTier: 'elevated',
};

interface PlanBody {
  code: string;
  limits: Record<string, number | null>;
  overagePrices: Record<string, number | null>;
}

function monthStart(offset = 0): string {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1)).toISOString();
}

describe('billing: plans and subscriptions', () => {
  let t: TestApp;
  let admin: TestAccount;
  let operator: TestAccount;
  let plans: { id: string; code: string }[];

  beforeAll(async () => {
    t = await startTestApp();
    [admin, operator] = await Promise.all([
      createAccount(t, UserRole.Admin),
      createAccount(t, UserRole.Operator),
    ]);
    plans = (await t.http.get('/api/v1/billing/plans')).body;
  });
  afterAll(() => t.close());

  const planId = (code: string) => plans.find((p) => p.code === code)!.id;
  const changePlan = (account: TestAccount, body: object) =>
    t.http.post('/api/v1/billing/subscription').set(account.auth).send(body);
  const putPlan = (account: TestAccount, id: string, body: object) =>
    t.http.put(`/api/v1/billing/plans/${id}`).set(account.auth).send(body);
  const auditEntries = (action: string, targetId: string) =>
    t.app
      .get(DataSource)
      .query('SELECT actor_id, details FROM audit_log WHERE action = $1 AND target_id = $2', [
        action,
        targetId,
      ]);

  describe('GET /billing/plans', () => {
    it('lists free, pro and business to anyone, with prices, a limit per meter and a tier', async () => {
      const response = await t.http.get('/api/v1/billing/plans');
      expect(response.status).toBe(200);
      const byCode = Object.fromEntries(
        (response.body as PlanBody[]).map((plan) => [plan.code, plan]),
      );
      expect(byCode.free).toMatchObject({
        name: 'Free',
        priceCents: 0,
        currency: 'usd',
        interval: 'month',
        rateLimitTier: 'standard',
      });
      expect(byCode.pro).toMatchObject({ priceCents: 2900, rateLimitTier: 'elevated' });
      expect(byCode.business).toMatchObject({ priceCents: 19900, rateLimitTier: 'premium' });
      expect(byCode.business.limits.jobs).toBeNull();
      for (const code of ['free', 'pro', 'business']) {
        expect(Object.keys(byCode[code].limits).sort()).toEqual([...METERS].sort());
        expect(Object.keys(byCode[code].overagePrices).sort()).toEqual([...METERS].sort());
      }
    });
  });

  describe('GET /billing/subscription', () => {
    it('puts a new account on the free plan, for the current calendar month', async () => {
      const account = await createAccount(t);
      const response = await t.http.get('/api/v1/billing/subscription').set(account.auth);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        plan: expect.objectContaining({ code: 'free' }),
        status: 'active',
        currentPeriodStart: monthStart(),
        currentPeriodEnd: monthStart(1),
        creditBalanceCents: 0,
        paidThroughProvider: false,
      });
      const rows = await t.app
        .get(DataSource)
        .query('SELECT count(*)::int AS count FROM subscriptions WHERE user_id = $1', [account.id]);
      expect(rows[0].count).toBe(1);
    });

    it('answers 401 without credentials', async () => {
      expectProblem(await t.http.get('/api/v1/billing/subscription'), 401);
    });
  });

  describe('POST /billing/subscription', () => {
    it('changes the plan at once when no payment provider is configured (200), audited', async () => {
      const account = await createAccount(t);
      const response = await changePlan(account, { planId: planId('pro') });
      expect(response.status).toBe(200);
      expect(response.body.plan.code).toBe('pro');
      expect(
        (await t.http.get('/api/v1/billing/subscription').set(account.auth)).body.plan.code,
      ).toBe('pro');
      const [entry] = await auditEntries('subscription.plan_changed', account.id);
      expect(entry).toMatchObject({
        actor_id: account.id,
        details: { from: planId('free'), to: planId('pro'), via: 'api' },
      });
    });

    it('answers 200 and changes nothing when the plan is already the current one', async () => {
      const account = await createAccount(t);
      const response = await changePlan(account, { planId: planId('free') });
      expect(response.status).toBe(200);
      expect(response.body.plan.code).toBe('free');
      expect(await auditEntries('subscription.plan_changed', account.id)).toEqual([]);
    });

    it('answers 404 for a plan that does not exist and 400 for a malformed body', async () => {
      const account = await createAccount(t);
      expectProblem(
        await changePlan(account, { planId: '6f1c1c8e-7d6a-4c39-9f57-3f0f0d7b9c11' }),
        404,
      );
      expectProblem(await changePlan(account, { planId: 'pro' }), 400);
      expectProblem(await changePlan(account, { planId: planId('pro'), coupon: 'x' }), 400);
      expect(
        (await t.http.get('/api/v1/billing/subscription').set(account.auth)).body.plan.code,
      ).toBe('free');
    });
  });

  describe('PUT /billing/plans/:id', () => {
    it('replaces the terms (admins), audited with what they were', async () => {
      const id = await createPlan(t);
      const response = await putPlan(admin, id, TERMS);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ id, ...TERMS });
      const listed = (await t.http.get('/api/v1/billing/plans')).body.find(
        (plan: { id: string }) => plan.id === id,
      );
      expect(listed).toMatchObject(TERMS);
      const [entry] = await auditEntries('plan.updated', id);
      expect(entry.actor_id).toBe(admin.id);
      expect(entry.details.from.priceCents).toBe(0);
      expect(entry.details.to).toMatchObject({ priceCents: 4900, rateLimitTier: 'elevated' });
    });

    it('applies new limits to the plan’s users at once', async () => {
      const account = await createAccount(t);
      const id = await onPlan(t, account, { limits: { messages: 1 } });
      const conversation = (
        await t.http.post('/api/v1/conversations').set(account.auth).send({ title: 'p' })
      ).body.id;
      const post = () =>
        t.http
          .post(`/api/v1/conversations/${conversation}/messages`)
          .set(account.auth)
          .send({ content: 'hi', reply: false });
      expect((await post()).status).toBe(201);
      expectProblem(await post(), 402);
      await putPlan(admin, id, { ...TERMS, limits: { ...TERMS.limits, messages: 2 } });
      expect((await post()).status).toBe(201);
    });

    it('answers 400 for incomplete or invalid terms, changing nothing', async () => {
      const id = await createPlan(t, { priceCents: 100 });
      const withoutJobs: Partial<typeof TERMS.limits> = { ...TERMS.limits };
      delete withoutJobs.jobs;
      const invalid = [
        { ...TERMS, limits: withoutJobs },
        { ...TERMS, limits: { ...TERMS.limits, jobs: -1 } },
        { ...TERMS, limits: { ...TERMS.limits, jobs: 1.5 } },
        { ...TERMS, limits: { ...TERMS.limits, minutes: 3 } },
        { ...TERMS, overagePrices: undefined },
        { ...TERMS, rateLimitTier: 'turbo' },
        { ...TERMS, priceCents: -5 },
        { ...TERMS, currency: 'EURO' },
        { ...TERMS, code: 'renamed' },
      ];
      for (const body of invalid) expectProblem(await putPlan(admin, id, body), 400);
      const [row] = await t.app
        .get(DataSource)
        .query('SELECT price_cents FROM plans WHERE id = $1', [id]);
      expect(row.price_cents).toBe(100);
      expect(await auditEntries('plan.updated', id)).toEqual([]);
    });

    it('answers 404 for a plan that does not exist, 403 to operators and users', async () => {
      expectProblem(await putPlan(admin, '6f1c1c8e-7d6a-4c39-9f57-3f0f0d7b9c11', TERMS), 404);
      const id = await createPlan(t);
      expectProblem(await putPlan(operator, id, TERMS), 403);
      expectProblem(await putPlan(await createAccount(t), id, TERMS), 403);
    });
  });

  describe('GET /billing/usage', () => {
    it('reports a past period (zeros) and refuses a malformed one', async () => {
      const account = await createAccount(t);
      const past = await t.http.get('/api/v1/billing/usage?period=2020-01').set(account.auth);
      expect(past.status).toBe(200);
      expect(past.body).toMatchObject({
        period: '2020-01',
        periodStart: '2020-01-01T00:00:00.000Z',
        periodEnd: '2020-02-01T00:00:00.000Z',
      });
      expect(past.body.meters.every((m: { used: number }) => m.used === 0)).toBe(true);
      for (const period of ['2020-13', '2020-1', 'last-month']) {
        expectProblem(
          await t.http.get(`/api/v1/billing/usage?period=${period}`).set(account.auth),
          400,
        );
      }
    });
  });

  describe('GET /billing/users/:id/usage', () => {
    it('shows a user’s usage to admins and operators', async () => {
      const account = await createAccount(t);
      await t.http.post('/api/v1/conversations').set(account.auth).send({ title: 'u' });
      for (const staff of [admin, operator]) {
        const response = await t.http
          .get(`/api/v1/billing/users/${account.id}/usage`)
          .set(staff.auth);
        expect(response.status).toBe(200);
        expect(response.body.meters).toHaveLength(6);
      }
    });

    it('answers 403 to users, 404 for an unknown user, 400 for a malformed id', async () => {
      const account = await createAccount(t);
      expectProblem(
        await t.http.get(`/api/v1/billing/users/${account.id}/usage`).set(account.auth),
        403,
      );
      expectProblem(
        await t.http
          .get('/api/v1/billing/users/6f1c1c8e-7d6a-4c39-9f57-3f0f0d7b9c11/usage')
          .set(admin.auth),
        404,
      );
      expectProblem(await t.http.get('/api/v1/billing/users/nope/usage').set(admin.auth), 400);
    });
  });
});
