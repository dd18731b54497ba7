import { DataSource } from 'typeorm';
import { UserRole } from '../src/common/auth/role';
import { createAccount, TestAccount } from './support/accounts';
import { onPlan, usedOf } from './support/billing';
import { expectProblem } from './support/problem';
import { startTestApp, TestApp } from './support/test-app';

describe('billing: credits', () => {
  let t: TestApp;
  let admin: TestAccount;
  let operator: TestAccount;

  beforeAll(async () => {
    t = await startTestApp();
    [admin, operator] = await Promise.all([
      createAccount(t, UserRole.Admin),
      createAccount(t, UserRole.Operator),
    ]);
  });
  afterAll(() => t.close());

  const grant = (caller: TestAccount, userId: string, body: object) =>
    t.http.post(`/api/v1/billing/users/${userId}/credits`).set(caller.auth).send(body);
  const balanceOf = async (account: TestAccount): Promise<number> =>
    (await t.http.get('/api/v1/billing/subscription').set(account.auth)).body.creditBalanceCents;

  /** An account with a conversation on a plan of `limit` messages, extra ones at 5 cents. */
  async function messagingAccount(limit: number, overage: number | null = 5) {
    const account = await createAccount(t);
    await onPlan(t, account, { limits: { messages: limit }, overagePrices: { messages: overage } });
    const conversation = (
      await t.http.post('/api/v1/conversations').set(account.auth).send({ title: 'c' })
    ).body.id;
    const post = () =>
      t.http
        .post(`/api/v1/conversations/${conversation}/messages`)
        .set(account.auth)
        .send({ content: 'hello', reply: false });
    return { account, post };
  }

  describe('POST /billing/users/:id/credits', () => {
    it('adds to the balance (admins), with a ledger entry and an audit record', async () => {
      const account = await createAccount(t);
      const first = await grant(admin, account.id, { amount: 500, reason: 'Welcome' });
      expect(first.status).toBe(201);
      expect(first.body).toEqual({
        id: expect.any(String),
        userId: account.id,
        amountCents: 500,
        balanceAfterCents: 500,
        reason: 'Welcome',
        actorId: admin.id,
        meter: null,
        createdAt: expect.any(String),
      });
      const second = await grant(admin, account.id, { amount: 250, reason: 'Outage' });
      expect(second.body.balanceAfterCents).toBe(750);
      expect(await balanceOf(account)).toBe(750);

      const audit = await t.app
        .get(DataSource)
        .query(
          `SELECT actor_id, details FROM audit_log WHERE action = 'credits.granted' AND target_id = $1`,
          [account.id],
        );
      expect(audit).toHaveLength(2);
      expect(audit[0]).toMatchObject({ actor_id: admin.id });

      const ledger = await t.http.get('/api/v1/billing/credits').set(account.auth);
      expect(ledger.status).toBe(200);
      expect(ledger.body.data.map((e: { amountCents: number }) => e.amountCents)).toEqual([
        250, 500,
      ]);
      expect(ledger.body.meta).toMatchObject({ total: 2 });
    });

    it('answers 400 for a bad amount or reason, changing nothing', async () => {
      const account = await createAccount(t);
      for (const body of [
        { amount: 0, reason: 'x' },
        { amount: -100, reason: 'x' },
        { amount: 1.5, reason: 'x' },
        { amount: 100 },
        { amount: 100, reason: '' },
        { amount: 100, reason: 'x', currency: 'usd' },
      ]) {
        expectProblem(await grant(admin, account.id, body), 400);
      }
      expect(await balanceOf(account)).toBe(0);
    });

    it('answers 404 for an unknown user, 403 to operators and users', async () => {
      const body = { amount: 100, reason: 'x' };
      expectProblem(await grant(admin, '6f1c1c8e-7d6a-4c39-9f57-3f0f0d7b9c11', body), 404);
      const account = await createAccount(t);
      expectProblem(await grant(operator, account.id, body), 403);
      expectProblem(await grant(account, account.id, body), 403);
      expect(await balanceOf(account)).toBe(0);
    });
  });

  describe('paying for overage', () => {
    it('covers use beyond the limit before answering 402, then refuses when they run out', async () => {
      const { account, post } = await messagingAccount(1);
      expect((await post()).status).toBe(201);
      expect(expectProblem(await post(), 402)).toMatchObject({ meter: 'messages', used: 1 });

      await grant(admin, account.id, { amount: 12, reason: 'Top-up' });
      expect((await post()).status).toBe(201);
      expect((await post()).status).toBe(201);
      expect(await balanceOf(account)).toBe(2);
      expect(expectProblem(await post(), 402)).toMatchObject({
        meter: 'messages',
        limit: 1,
        used: 3,
      });
      expect(await usedOf(t, account.id, 'messages')).toBe(3);

      const ledger = (await t.http.get('/api/v1/billing/credits').set(account.auth)).body.data;
      expect(ledger.slice(0, 2)).toEqual([
        expect.objectContaining({ amountCents: -5, balanceAfterCents: 2, meter: 'messages' }),
        expect.objectContaining({
          amountCents: -5,
          balanceAfterCents: 7,
          reason: 'Overage of messages',
        }),
      ]);
    });

    it('pays for exactly as many racing requests as the balance covers', async () => {
      const { account, post } = await messagingAccount(2);
      await grant(admin, account.id, { amount: 15, reason: 'Top-up' });
      const answers = await Promise.all(Array.from({ length: 12 }, () => post()));
      const statuses = answers.map((r) => r.status).sort();
      expect(statuses).toEqual([...Array(5).fill(201), ...Array(7).fill(402)]);
      expect(await balanceOf(account)).toBe(0);
      expect(await usedOf(t, account.id, 'messages')).toBe(5);
    });

    it('does not help past a firm limit (no overage price)', async () => {
      const { account, post } = await messagingAccount(1, null);
      await grant(admin, account.id, { amount: 1000, reason: 'Top-up' });
      expect((await post()).status).toBe(201);
      expectProblem(await post(), 402);
      expect(await balanceOf(account)).toBe(1000);
    });
  });
});
