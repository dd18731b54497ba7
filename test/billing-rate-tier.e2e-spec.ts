import { UserRole } from '../src/common/auth/role';
import { createAccount, TestAccount } from './support/accounts';
import { createPlan, onPlan, subscribe } from './support/billing';
import { deleteRedisKeys } from './support/redis-keys';
import { testEnv } from './support/test-config';
import { startTestApp, TestApp } from './support/test-app';

/** RATE_LIMIT_DEFAULT for this suite: the standard tier's limit per window. */
const BASE = 4;

describe('billing: rate-limit tiers', () => {
  let t: TestApp;
  let admin: TestAccount;

  // Counters of its own: with a limit this low, shared per-IP counters would block the
  // anonymous requests of every other suite running beside it.
  const prefix = `${testEnv().REDIS_PREFIX}-rate-tier`;

  beforeAll(async () => {
    t = await startTestApp({
      REDIS_PREFIX: prefix,
      RATE_LIMIT_DEFAULT: String(BASE),
      RATE_LIMIT_WINDOW_SEC: '60',
    });
    admin = await createAccount(t, UserRole.Admin);
  });
  afterAll(async () => {
    await t.close();
    await deleteRedisKeys(prefix);
  });

  /** `count` more requests as the account; their statuses. */
  const requests = async (account: TestAccount, count: number): Promise<number[]> => {
    const statuses: number[] = [];
    for (let i = 0; i < count; i++) {
      statuses.push((await t.http.get('/api/v1/auth/me').set(account.auth)).status);
    }
    return statuses;
  };

  it('holds users of a standard-tier plan to the configured limit', async () => {
    const account = await createAccount(t);
    // Subscribing is the first of the window's requests.
    await onPlan(t, account, { rateLimitTier: 'standard' });
    expect(await requests(account, BASE)).toEqual([200, 200, 200, 429]);
  });

  it('gives users of an elevated-tier plan five times as many', async () => {
    const account = await createAccount(t);
    await onPlan(t, account, { rateLimitTier: 'elevated' });
    const statuses = await requests(account, BASE * 5);
    expect(statuses.slice(0, BASE * 5 - 1).every((status) => status === 200)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
  });

  it('applies a plan’s new tier to its users at once', async () => {
    const account = await createAccount(t);
    const planId = await createPlan(t, { rateLimitTier: 'standard' });
    await subscribe(t, account, planId);
    expect(await requests(account, 2)).toEqual([200, 200]);

    const plan = (await t.http.get('/api/v1/billing/plans')).body.find(
      (p: { id: string }) => p.id === planId,
    );
    const { name, priceCents, limits, overagePrices } = plan;
    const changed = await t.http
      .put(`/api/v1/billing/plans/${planId}`)
      .set(admin.auth)
      .send({ name, priceCents, limits, overagePrices, rateLimitTier: 'premium' });
    expect(changed.status).toBe(200);

    // 3 requests so far; a standard tier would refuse the 5th.
    expect(await requests(account, 10)).toEqual(Array(10).fill(200));
  });
});
