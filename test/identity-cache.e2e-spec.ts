import { DataSource } from 'typeorm';
import { UserRole } from '../src/common/auth/role';
import { createAccount } from './support/accounts';
import { eventually } from './support/eventually';
import { freePort } from './support/free-port';
import { PrivateRedis } from './support/private-redis';
import { expectProblem } from './support/problem';
import { startTestApp, TestApp } from './support/test-app';

/** Two instances of the service behind one load balancer: whatever one changes, both enforce. */
describe('identity cache across instances', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    a = await startTestApp({ IDENTITY_CACHE_TTL_SEC: '300' });
    b = await startTestApp({ IDENTITY_CACHE_TTL_SEC: '300' });
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  it('refuses a deactivated user on the other instance at once', async () => {
    const admin = await createAccount(a, UserRole.Admin);
    const target = await createAccount(a);
    await eventually(async () => {
      expect((await b.http.get('/api/v1/auth/me').set(target.auth)).status).toBe(200);
    });
    expect((await b.http.get('/api/v1/auth/me').set(target.auth)).status).toBe(200);

    await a.http.post(`/api/v1/users/${target.id}/deactivate`).set(admin.auth).expect(200);
    await eventually(
      async () => expectProblem(await b.http.get('/api/v1/auth/me').set(target.auth), 403),
      {
        timeoutMs: 1000,
        intervalMs: 20,
      },
    );
  });

  it('shows a role or profile change on the other instance at once', async () => {
    const admin = await createAccount(a, UserRole.Admin);
    const target = await createAccount(a);
    expect((await b.http.get('/api/v1/users').set(target.auth)).status).toBe(403);

    await a.http
      .patch(`/api/v1/users/${target.id}/role`)
      .set(admin.auth)
      .send({ role: 'operator' });
    await a.http.patch('/api/v1/auth/me').set(target.auth).send({ name: 'Renamed' });
    await eventually(
      async () => {
        expect((await b.http.get('/api/v1/users').set(target.auth)).status).toBe(200);
        expect((await b.http.get('/api/v1/auth/me').set(target.auth)).body.name).toBe('Renamed');
      },
      { timeoutMs: 1000, intervalMs: 20 },
    );
  });
});

describe('identity cache without Redis', () => {
  it('stops caching while it cannot hear about changes', async () => {
    const redis = new PrivateRedis(await freePort());
    await redis.start();
    // API role: queue workers closing while their Redis reconnects wait out Bull's blocking
    // reads one after another (5 s each), which has nothing to do with the identity cache.
    const t = await startTestApp({
      APP_ROLE: 'api',
      REDIS_URL: redis.url,
      IDENTITY_CACHE_TTL_SEC: '300',
    });
    try {
      const target = await createAccount(t);
      const bystander = await createAccount(t);
      expect((await t.http.get('/api/v1/auth/me').set(target.auth)).status).toBe(200);
      await redis.stop();
      // Rate limits cannot be counted now; reads from PostgreSQL keep working regardless.
      expect((await t.http.get('/api/v1/auth/me').set(bystander.auth)).status).toBe(200);
      // A change this instance cannot be told about: it must read it from PostgreSQL.
      await t.app
        .get(DataSource)
        .query(`UPDATE users SET status = 'deactivated' WHERE id = $1`, [target.id]);
      await eventually(async () =>
        expectProblem(await t.http.get('/api/v1/auth/me').set(target.auth), 403),
      );
    } finally {
      await redis.start();
      // Closing while its Redis clients are still reconnecting rejects their QUIT ("Connection
      // is closed"), which is about shutdown timing, not the identity cache. Only a wait: the
      // app is closed whatever it ends with.
      await eventually(async () =>
        expect((await t.http.get('/api/v1/health/ready')).status).toBe(200),
      ).catch(() => undefined);
      await t.close();
      await redis.stop();
    }
  });
});
