import Redis from 'ioredis';
import { RateLimitPolicy } from '../src/common/rate-limit/rate-limit.policy';
import { createAccount, uniqueEmail } from './support/accounts';
import { deleteRedisKeys, TEST_REDIS_URL } from './support/redis-keys';
import { expectProblem } from './support/problem';
import { startTestApp, TestApp } from './support/test-app';

describe('rate limits', () => {
  let t: TestApp;
  const prefix = `kiln-rate-${Date.now()}`;

  beforeAll(async () => {
    t = await startTestApp({
      REDIS_PREFIX: prefix,
      RATE_LIMIT_DEFAULT: '5',
      RATE_LIMIT_LOGIN: '3',
      RATE_LIMIT_REGISTER: '5',
      RATE_LIMIT_PASSWORD_RESET: '2',
    });
  });
  afterAll(async () => {
    await t.close();
    await deleteRedisKeys(prefix);
  });

  const login = (email: string) =>
    t.http.post('/api/v1/auth/login').send({ email, password: 'wrong password!' });

  it('limits login attempts per IP and email, answering 429 problem+json with Retry-After', async () => {
    const email = uniqueEmail('target');
    for (let i = 0; i < 3; i++) expect((await login(email)).status).toBe(401);
    const blocked = await login(email);
    expectProblem(blocked, 429);
    const retryAfter = Number(blocked.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // Another email from the same address has its own count.
    expect((await login(uniqueEmail('other'))).status).toBe(401);
  });

  it('limits password-reset requests per IP', async () => {
    const request = () =>
      t.http.post('/api/v1/auth/password-reset/request').send({ email: uniqueEmail() });
    expect((await request()).status).toBe(202);
    expect((await request()).status).toBe(202);
    expectProblem(await request(), 429);
  });

  it('limits each signed-in user separately', async () => {
    // Registration has its own, tighter rule: the suites below use 5 of its 5.
    const a = await createAccount(t);
    const b = await createAccount(t);
    for (let i = 0; i < 5; i++)
      expect((await t.http.get('/api/v1/auth/me').set(a.auth)).status).toBe(200);
    expectProblem(await t.http.get('/api/v1/auth/me').set(a.auth), 429);
    expect((await t.http.get('/api/v1/auth/me').set(b.auth)).status).toBe(200);
  });

  it('takes the per-user limit from the resolver plans can install', async () => {
    const policy = t.app.get(RateLimitPolicy);
    const premium = await createAccount(t);
    policy.useCallerLimit((user) => (user.id === premium.id ? 8 : 5));
    try {
      for (let i = 0; i < 8; i++) {
        expect((await t.http.get('/api/v1/auth/me').set(premium.auth)).status).toBe(200);
      }
      expectProblem(await t.http.get('/api/v1/auth/me').set(premium.auth), 429);
    } finally {
      policy.useCallerLimit(() => 5);
    }
  });

  it('limits registrations per IP', async () => {
    await createAccount(t);
    await createAccount(t);
    const blocked = await t.http
      .post('/api/v1/auth/register')
      .send({ email: uniqueEmail(), password: 'long enough pass' });
    expectProblem(blocked, 429);
  });

  it('keeps its counters in Redis under the instance prefix', async () => {
    const raw = new Redis(TEST_REDIS_URL);
    const keys = await raw.keys(`${prefix}:*`);
    raw.disconnect();
    expect(keys.some((key) => key.includes('user:'))).toBe(true);
  });
});
