import { randomUUID } from 'node:crypto';
import Stripe from 'stripe';
import { DataSource } from 'typeorm';
import { createAccount, TestAccount } from './support/accounts';
import { startFakeStripeServer, FakeStripeServer } from './support/fake-stripe-server';
import { expectProblem } from './support/problem';
import { startTestApp, TestApp } from './support/test-app';

const WEBHOOK_SECRET = 'whsec_kiln_test_secret';

interface Plan {
  id: string;
  code: string;
}

describe('billing: Stripe', () => {
  let t: TestApp;
  let stripe: FakeStripeServer;
  let plans: Plan[];

  beforeAll(async () => {
    stripe = await startFakeStripeServer();
    t = await startTestApp({
      STRIPE_SECRET_KEY: 'sk_test_kiln',
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      STRIPE_API_URL: stripe.url,
    });
    plans = (await t.http.get('/api/v1/billing/plans')).body;
  });
  afterAll(async () => {
    await t.close();
    await stripe.close();
  });

  const planId = (code: string) => plans.find((p) => p.code === code)!.id;
  const subscriptionOf = async (account: TestAccount) =>
    (await t.http.get('/api/v1/billing/subscription').set(account.auth)).body;
  const inboxHas = async (eventId: string): Promise<boolean> =>
    (await t.app.get(DataSource).query('SELECT 1 FROM stripe_events WHERE id = $1', [eventId]))
      .length > 0;

  function event(type: string, object: object, id = `evt_${randomUUID()}`) {
    return JSON.stringify({ id, object: 'event', type, data: { object } });
  }

  /** Sends the payload the way Stripe does, signed with Stripe's own test helper. */
  function deliver(payload: string, secret = WEBHOOK_SECRET) {
    const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret });
    return t.http
      .post('/api/v1/billing/webhooks/stripe')
      .set('Content-Type', 'application/json')
      .set('Stripe-Signature', signature)
      .send(payload);
  }

  const checkoutCompleted = (account: TestAccount, plan: string, subscription: string) =>
    event('checkout.session.completed', {
      id: `cs_test_${randomUUID()}`,
      object: 'checkout.session',
      mode: 'subscription',
      client_reference_id: account.id,
      customer: 'cus_kiln',
      subscription,
      metadata: { userId: account.id, planId: planId(plan) },
    });

  const subscriptionEvent = (type: string, id: string, status: string, plan?: string) =>
    event(type, {
      id,
      object: 'subscription',
      status,
      metadata: plan ? { planId: planId(plan) } : {},
    });

  /** An account paying for `plan` through Stripe subscription `sub_…`; returns both. */
  async function paying(plan = 'pro') {
    const account = await createAccount(t);
    const subscription = `sub_${randomUUID()}`;
    expect((await deliver(checkoutCompleted(account, plan, subscription))).status).toBe(200);
    return { account, subscription };
  }

  describe('POST /billing/subscription with a payment provider', () => {
    it('answers 202 with a Stripe Checkout page for a paid plan, and keeps the plan until paid', async () => {
      const account = await createAccount(t);
      const response = await t.http
        .post('/api/v1/billing/subscription')
        .set(account.auth)
        .send({ planId: planId('pro') });
      expect(response.status).toBe(202);
      expect(response.body).toEqual({
        checkoutUrl: expect.stringMatching(/^https:\/\/checkout\.stripe\.test\/pay\/cs_test_/),
      });
      const request = stripe.requests.find(
        (r) =>
          r.path === '/v1/checkout/sessions' && r.form.get('client_reference_id') === account.id,
      );
      expect(request?.method).toBe('POST');
      expect(Object.fromEntries(request!.form)).toMatchObject({
        mode: 'subscription',
        customer_email: account.email,
        'metadata[userId]': account.id,
        'metadata[planId]': planId('pro'),
        'subscription_data[metadata][planId]': planId('pro'),
        'line_items[0][price_data][unit_amount]': '2900',
        'line_items[0][price_data][recurring][interval]': 'month',
      });
      expect((await subscriptionOf(account)).plan.code).toBe('free');
    });

    it('answers 503 when Stripe cannot be reached, changing nothing', async () => {
      const account = await createAccount(t);
      // The first try and the client's two retries.
      stripe.failNext(3);
      const response = await t.http
        .post('/api/v1/billing/subscription')
        .set(account.auth)
        .send({ planId: planId('pro') });
      expectProblem(response, 503);
      expect((await subscriptionOf(account)).plan.code).toBe('free');
    });

    it('moves a paying user to a free plan at once, cancelling the Stripe subscription', async () => {
      const { account, subscription } = await paying();
      const response = await t.http
        .post('/api/v1/billing/subscription')
        .set(account.auth)
        .send({ planId: planId('free') });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ plan: { code: 'free' }, paidThroughProvider: false });
      expect(stripe.requests).toContainEqual(
        expect.objectContaining({ method: 'DELETE', path: `/v1/subscriptions/${subscription}` }),
      );
    });
  });

  describe('POST /billing/webhooks/stripe', () => {
    it('applies a completed checkout: the user is on the plan, paid through Stripe', async () => {
      const { account } = await paying('pro');
      expect(await subscriptionOf(account)).toMatchObject({
        plan: { code: 'pro' },
        status: 'active',
        paidThroughProvider: true,
      });
    });

    it('answers 400 to a bad or missing signature, and changes nothing', async () => {
      const account = await createAccount(t);
      const id = `evt_${randomUUID()}`;
      const payload = event(
        'checkout.session.completed',
        {
          id: 'cs_test_forged',
          object: 'checkout.session',
          mode: 'subscription',
          subscription: 'sub_forged',
          metadata: { userId: account.id, planId: planId('business') },
        },
        id,
      );
      expectProblem(await deliver(payload, 'whsec_someone_else'), 400);
      const signed = Stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET });
      const tampered = await t.http
        .post('/api/v1/billing/webhooks/stripe')
        .set('Content-Type', 'application/json')
        .set('Stripe-Signature', signed)
        .send(payload.replace('cs_test_forged', 'cs_test_altered'));
      expectProblem(tampered, 400);
      const unsigned = await t.http
        .post('/api/v1/billing/webhooks/stripe')
        .set('Content-Type', 'application/json')
        .send(payload);
      expectProblem(unsigned, 400);
      expect((await subscriptionOf(account)).plan.code).toBe('free');
      expect(await inboxHas(id)).toBe(false);
    });

    it('applies an event once: a redelivery answers 200 and changes nothing', async () => {
      const account = await createAccount(t);
      const subscription = `sub_${randomUUID()}`;
      const payload = checkoutCompleted(account, 'pro', subscription);
      const first = await deliver(payload);
      expect(first.body).toEqual({ received: true, duplicate: false });
      // Stripe ends it meanwhile; the checkout's redelivery must not bring it back.
      await deliver(subscriptionEvent('customer.subscription.deleted', subscription, 'canceled'));
      const [{ count: auditBefore }] = await t.app
        .get(DataSource)
        .query(`SELECT count(*)::int AS count FROM audit_log WHERE target_id = $1`, [account.id]);

      const again = await deliver(payload);
      expect(again.status).toBe(200);
      expect(again.body).toEqual({ received: true, duplicate: true });
      expect((await subscriptionOf(account)).plan.code).toBe('free');
      const [{ count: auditAfter }] = await t.app
        .get(DataSource)
        .query(`SELECT count(*)::int AS count FROM audit_log WHERE target_id = $1`, [account.id]);
      expect(auditAfter).toBe(auditBefore);
    });

    it('follows subscription updates: a new plan, or a payment that failed', async () => {
      const { account, subscription } = await paying('pro');
      await deliver(
        subscriptionEvent('customer.subscription.updated', subscription, 'active', 'business'),
      );
      expect(await subscriptionOf(account)).toMatchObject({
        plan: { code: 'business' },
        status: 'active',
      });
      await deliver(subscriptionEvent('customer.subscription.updated', subscription, 'past_due'));
      expect(await subscriptionOf(account)).toMatchObject({
        plan: { code: 'business' },
        status: 'past_due',
      });
      await deliver(subscriptionEvent('customer.subscription.updated', subscription, 'canceled'));
      expect(await subscriptionOf(account)).toMatchObject({
        plan: { code: 'free' },
        paidThroughProvider: false,
      });
    });

    it('sends the user back to the free plan when the subscription is deleted', async () => {
      const { account, subscription } = await paying('business');
      const response = await deliver(
        subscriptionEvent('customer.subscription.deleted', subscription, 'canceled'),
      );
      expect(response.status).toBe(200);
      expect(await subscriptionOf(account)).toMatchObject({
        plan: { code: 'free' },
        status: 'active',
        paidThroughProvider: false,
      });
    });

    it('cancels the Stripe subscription a new checkout replaces', async () => {
      const { account, subscription: old } = await paying('pro');
      await deliver(checkoutCompleted(account, 'business', `sub_${randomUUID()}`));
      expect((await subscriptionOf(account)).plan.code).toBe('business');
      expect(stripe.requests).toContainEqual(
        expect.objectContaining({ method: 'DELETE', path: `/v1/subscriptions/${old}` }),
      );
    });

    it('ignores a checkout for an account that does not exist, answering 200', async () => {
      const ghost = { id: randomUUID() } as TestAccount;
      const id = `evt_${randomUUID()}`;
      const payload = JSON.stringify({
        ...JSON.parse(checkoutCompleted(ghost, 'pro', `sub_${randomUUID()}`)),
        id,
      });
      expect((await deliver(payload)).body).toEqual({ received: true, duplicate: false });
      expect(await inboxHas(id)).toBe(true);
      const [{ count }] = await t.app
        .get(DataSource)
        .query('SELECT count(*)::int AS count FROM subscriptions WHERE user_id = $1', [ghost.id]);
      expect(count).toBe(0);
    });

    it('keeps events it does not act on, answering 200', async () => {
      const id = `evt_${randomUUID()}`;
      const response = await deliver(event('invoice.paid', { id: 'in_1', object: 'invoice' }, id));
      expect(response.body).toEqual({ received: true, duplicate: false });
      expect(await inboxHas(id)).toBe(true);
    });
  });
});

describe('billing: Stripe webhooks without a webhook secret', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('answers 400: no event can be verified', async () => {
    const payload = JSON.stringify({ id: 'evt_1', object: 'event', type: 'invoice.paid' });
    const response = await t.http
      .post('/api/v1/billing/webhooks/stripe')
      .set('Content-Type', 'application/json')
      .set('Stripe-Signature', Stripe.webhooks.generateTestHeaderString({ payload, secret: 'x' }))
      .send(payload);
    expectProblem(response, 400);
  });
});
