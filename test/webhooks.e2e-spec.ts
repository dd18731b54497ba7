import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { UserRole } from '../src/common/auth/role';
import { WebhooksOptions } from '../src/modules/webhooks/webhooks-options';
import { WebhooksService } from '../src/modules/webhooks/webhooks.service';
import { createAccount, TestAccount } from './support/accounts';
import { eventually } from './support/eventually';
import { expectProblem } from './support/problem';
import { deleteRedisKeys } from './support/redis-keys';
import { startTestApp, TestApp } from './support/test-app';
import { runIdentity } from './support/test-env';
import { WebhookReceiver } from './support/webhook-receiver';
import { expectSignedWith, publish } from './support/webhooks';

const QUICK_RETRIES = { timeoutMs: 2000, maxAttempts: 3, backoffMs: 100 };
const REFUSED = 'https://kiln.dev/problems/webhook-target-refused';

/** Quick retries, so the suite sees a delivery through all its attempts. */
async function startWithWebhooks(
  env: Record<string, string>,
  options: WebhooksOptions,
): Promise<TestApp> {
  return startTestApp({
    ...env,
    WEBHOOKS_ALLOW_PRIVATE: String(options.allowPrivateTargets),
    WEBHOOKS_TIMEOUT_MS: String(options.timeoutMs),
    WEBHOOKS_MAX_ATTEMPTS: String(options.maxAttempts),
    WEBHOOKS_BACKOFF_MS: String(options.backoffMs),
  });
}

interface Delivery {
  id: string;
  eventId: string;
  type: string;
  status: string;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  attemptLog: { attempt: number; statusCode: number | null; error: string | null }[];
}

describe('webhooks', () => {
  // Delivers to the local receiver: private targets allowed, as in development.
  let t: TestApp;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    t = await startWithWebhooks({}, { allowPrivateTargets: true, ...QUICK_RETRIES });
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    receiver = await WebhookReceiver.start();
  });
  afterEach(() => receiver.close());

  async function register(
    app: TestApp,
    account: TestAccount,
    body: { url: string; events: string[] },
  ): Promise<{ id: string; secret: string }> {
    const response = await app.http.post('/api/v1/webhooks').set(account.auth).send(body);
    if (response.status !== 201) throw new Error(`answered ${response.status}: ${response.text}`);
    return response.body;
  }

  async function deliveriesOf(
    app: TestApp,
    account: TestAccount,
    webhookId: string,
    query = '',
  ): Promise<Delivery[]> {
    const response = await app.http
      .get(`/api/v1/webhooks/${webhookId}/deliveries${query}`)
      .set(account.auth);
    expect(response.status).toBe(200);
    return response.body.data;
  }

  describe('registering', () => {
    it('creates a webhook, shows its secret once, and lists it without the secret', async () => {
      const owner = await createAccount(t);
      const response = await t.http
        .post('/api/v1/webhooks')
        .set(owner.auth)
        .send({ url: 'https://hooks.example.com/kiln', events: ['job.completed', 'job.failed'] });
      expect(response.status).toBe(201);
      expect(response.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        url: 'https://hooks.example.com/kiln',
        events: ['job.completed', 'job.failed'],
        secret: expect.stringMatching(/^whsec_[A-Za-z0-9_-]{43}$/),
        createdAt: expect.any(String),
      });

      const list = await t.http.get('/api/v1/webhooks').set(owner.auth);
      expect(list.status).toBe(200);
      expect(list.body).toEqual([
        {
          id: response.body.id,
          url: 'https://hooks.example.com/kiln',
          events: ['job.completed', 'job.failed'],
          createdAt: response.body.createdAt,
        },
      ]);
      expect(list.text).not.toContain(response.body.secret);
    });

    it('stores the secret sealed, never as it was shown', async () => {
      const owner = await createAccount(t);
      const { id, secret } = await register(t, owner, {
        url: receiver.url,
        events: ['job.failed'],
      });
      const [row] = await t.app
        .get(DataSource)
        .query('SELECT secret FROM webhooks WHERE id = $1', [id]);
      expect(row.secret).toMatch(/^v1\./);
      expect(row.secret).not.toContain(secret);
      expect(row.secret).not.toContain(secret.slice('whsec_'.length));
    });

    it('lists only the caller’s webhooks', async () => {
      const [owner, other] = await Promise.all([createAccount(t), createAccount(t)]);
      await register(t, owner, { url: receiver.url, events: ['job.failed'] });
      expect((await t.http.get('/api/v1/webhooks').set(other.auth)).body).toEqual([]);
    });

    it.each([
      ['a URL that is not one', { url: 'not a url' }, ['url']],
      ['an ftp URL', { url: 'ftp://hooks.example.com/x' }, ['url']],
      ['a URL with credentials', { url: 'https://user:pw@hooks.example.com/' }, ['url']],
      ['a URL over 2048 characters', { url: `https://e.com/${'a'.repeat(2040)}` }, ['url']],
      ['an unknown event', { events: ['job.exploded'] }, ['events']],
      ['no events', { events: [] }, ['events']],
      ['the same event twice', { events: ['job.failed', 'job.failed'] }, ['events']],
      ['events that are not a list', { events: 'job.failed' }, ['events']],
      ['an unknown field', { secret: 'whsec_mine' }, ['secret']],
      ['a bad URL and a bad event at once', { url: 'x', events: ['nope'] }, ['events', 'url']],
    ])('answers 400 for %s', async (_, change, fields) => {
      const owner = await createAccount(t);
      const body = { url: 'https://hooks.example.com/kiln', events: ['job.completed'], ...change };
      const response = await t.http.post('/api/v1/webhooks').set(owner.auth).send(body);
      const problem = expectProblem(response, 400);
      const named = new Set((problem.errors as { field: string }[]).map((e) => e.field));
      expect([...named].sort()).toEqual(fields);
    });

    it('answers 400 for a body that is missing or not JSON', async () => {
      const owner = await createAccount(t);
      expectProblem(await t.http.post('/api/v1/webhooks').set(owner.auth).send({}), 400);
      expectProblem(
        await t.http
          .post('/api/v1/webhooks')
          .set(owner.auth)
          .set('content-type', 'application/json')
          .send('{"url": '),
        400,
      );
    });

    it('answers 409 beyond 20 webhooks per account', async () => {
      const owner = await createAccount(t);
      for (let i = 0; i < 20; i++) {
        await register(t, owner, { url: `${receiver.url}/${i}`, events: ['job.failed'] });
      }
      const response = await t.http
        .post('/api/v1/webhooks')
        .set(owner.auth)
        .send({ url: receiver.url, events: ['job.failed'] });
      expect(expectProblem(response, 409).detail).toContain('at most 20 webhooks');
    });
  });

  describe('access', () => {
    it('answers 401 to anonymous callers on every route', async () => {
      const id = randomUUID();
      expectProblem(await t.http.post('/api/v1/webhooks').send({}), 401);
      expectProblem(await t.http.get('/api/v1/webhooks'), 401);
      expectProblem(await t.http.delete(`/api/v1/webhooks/${id}`), 401);
      expectProblem(await t.http.get(`/api/v1/webhooks/${id}/deliveries`), 401);
    });

    it('deletes the owner’s webhook; 403 for another user, 404 when unknown, 400 for a bad id', async () => {
      const [owner, other] = await Promise.all([createAccount(t), createAccount(t)]);
      const { id } = await register(t, owner, { url: receiver.url, events: ['job.failed'] });
      expectProblem(await t.http.delete(`/api/v1/webhooks/${id}`).set(other.auth), 403);
      expect((await t.http.delete(`/api/v1/webhooks/${id}`).set(owner.auth)).status).toBe(204);
      expect((await t.http.get('/api/v1/webhooks').set(owner.auth)).body).toEqual([]);
      expectProblem(await t.http.delete(`/api/v1/webhooks/${id}`).set(owner.auth), 404);
      expectProblem(await t.http.get(`/api/v1/webhooks/${id}/deliveries`).set(owner.auth), 404);
      expectProblem(await t.http.delete('/api/v1/webhooks/not-a-uuid').set(owner.auth), 400);
    });

    it('lets an admin delete any webhook, and not an operator', async () => {
      const [owner, operator, admin] = await Promise.all([
        createAccount(t),
        createAccount(t, UserRole.Operator),
        createAccount(t, UserRole.Admin),
      ]);
      const { id } = await register(t, owner, { url: receiver.url, events: ['job.failed'] });
      expectProblem(await t.http.delete(`/api/v1/webhooks/${id}`).set(operator.auth), 403);
      expect((await t.http.delete(`/api/v1/webhooks/${id}`).set(admin.auth)).status).toBe(204);
    });

    it('shows deliveries to the owner, operators and admins; 403 to another user', async () => {
      const [owner, other, operator, admin] = await Promise.all([
        createAccount(t),
        createAccount(t),
        createAccount(t, UserRole.Operator),
        createAccount(t, UserRole.Admin),
      ]);
      const { id } = await register(t, owner, { url: receiver.url, events: ['job.failed'] });
      const path = `/api/v1/webhooks/${id}/deliveries`;
      for (const reader of [owner, operator, admin]) {
        const response = await t.http.get(path).set(reader.auth);
        expect(response.status).toBe(200);
        expect(response.body).toEqual({
          data: [],
          meta: { page: 1, limit: 20, total: 0, totalPages: 0 },
        });
      }
      expectProblem(await t.http.get(path).set(other.auth), 403);
      expectProblem(await t.http.get(`${path}?limit=101`).set(owner.auth), 400);
      expectProblem(await t.http.get(`${path}?status=lost`).set(owner.auth), 400);
      expectProblem(
        await t.http.get(`/api/v1/webhooks/${randomUUID()}/deliveries`).set(owner.auth),
        404,
      );
    });
  });

  describe('delivery', () => {
    it('POSTs the signed event, which the receiver can verify with its secret', async () => {
      const owner = await createAccount(t);
      const { id, secret } = await register(t, owner, {
        url: receiver.url,
        events: ['job.completed'],
      });
      await publish(t, owner.id, 'job.completed', { jobId: 'j-1' });

      const [request] = await eventually(async () => {
        expect(receiver.requests).toHaveLength(1);
        return receiver.requests;
      });
      expect(request.method).toBe('POST');
      expect(request.path).toBe('/hooks/kiln');
      expect(request.headers).toMatchObject({
        'content-type': 'application/json',
        'kiln-event': 'job.completed',
        'user-agent': 'Kiln-Webhooks/1',
      });
      const body = JSON.parse(request.body);
      expect(body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        type: 'job.completed',
        createdAt: expect.any(String),
        data: { jobId: 'j-1' },
      });
      expect(Object.keys(body)).toEqual(['id', 'type', 'createdAt', 'data']);

      expectSignedWith(request, secret);

      const [delivery] = await eventually(async () => {
        const deliveries = await deliveriesOf(t, owner, id);
        expect(deliveries[0]?.status).toBe('succeeded');
        return deliveries;
      });
      expect(request.headers['kiln-delivery']).toBe(delivery.id);
      expect(delivery).toMatchObject({
        eventId: body.id,
        type: 'job.completed',
        attempts: 1,
        lastStatusCode: 200,
        lastError: null,
        lastDurationMs: expect.any(Number),
        attemptLog: [{ attempt: 1, statusCode: 200, error: null, durationMs: expect.any(Number) }],
      });
    });

    it('retries after failed answers, then records success with every attempt', async () => {
      const owner = await createAccount(t);
      const { id } = await register(t, owner, { url: receiver.url, events: ['job.failed'] });
      receiver.failNext(2);
      await publish(t, owner.id, 'job.failed', { error: 'boom' });

      const [delivery] = await eventually(async () => {
        const deliveries = await deliveriesOf(t, owner, id);
        expect(deliveries[0]?.status).toBe('succeeded');
        return deliveries;
      });
      expect(delivery.attempts).toBe(3);
      expect(delivery.attemptLog.map((a) => [a.attempt, a.statusCode])).toEqual([
        [1, 500],
        [2, 500],
        [3, 200],
      ]);
      // Every attempt is the same delivery of the same body; only the signature's time moves.
      expect(receiver.requests.map((r) => r.status)).toEqual([500, 500, 200]);
      expect(new Set(receiver.requests.map((r) => r.headers['kiln-delivery'])).size).toBe(1);
      expect(new Set(receiver.requests.map((r) => r.body)).size).toBe(1);
    });

    it('marks the delivery failed after the last attempt', async () => {
      const owner = await createAccount(t);
      const { id } = await register(t, owner, { url: receiver.url, events: ['job.cancelled'] });
      receiver.failNext(100);
      await publish(t, owner.id, 'job.cancelled', {});

      const [delivery] = await eventually(async () => {
        const deliveries = await deliveriesOf(t, owner, id);
        expect(deliveries[0]?.status).toBe('failed');
        return deliveries;
      });
      expect(delivery).toMatchObject({ attempts: 3, lastStatusCode: 500 });
      expect(delivery.attemptLog.map((a) => a.statusCode)).toEqual([500, 500, 500]);
      // No attempt beyond maxAttempts.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(receiver.requests).toHaveLength(3);
      expect(await deliveriesOf(t, owner, id, '?status=failed')).toHaveLength(1);
      expect(await deliveriesOf(t, owner, id, '?status=succeeded')).toHaveLength(0);
    });

    it('records a network error as a failed attempt', async () => {
      const owner = await createAccount(t);
      const closed = await WebhookReceiver.start();
      await closed.close();
      const { id } = await register(t, owner, { url: closed.url, events: ['job.failed'] });
      await publish(t, owner.id, 'job.failed', {});

      const [delivery] = await eventually(async () => {
        const deliveries = await deliveriesOf(t, owner, id);
        expect(deliveries[0]?.status).toBe('failed');
        return deliveries;
      });
      expect(delivery.lastStatusCode).toBeNull();
      expect(delivery.lastError).toContain('ECONNREFUSED');
      expect(delivery.attemptLog).toHaveLength(3);
    });

    it('tells only the owner’s webhooks that subscribe to the event, with one event id', async () => {
      const [owner, other] = await Promise.all([createAccount(t), createAccount(t)]);
      const both = await register(t, owner, {
        url: `${receiver.url}/both`,
        events: ['job.completed', 'job.failed'],
      });
      const failedOnly = await register(t, owner, {
        url: `${receiver.url}/failed`,
        events: ['job.failed'],
      });
      const completedOnly = await register(t, owner, {
        url: `${receiver.url}/completed`,
        events: ['job.completed'],
      });
      await register(t, other, { url: `${receiver.url}/other`, events: ['job.failed'] });

      await publish(t, owner.id, 'job.failed', { jobId: 'j-2' });
      await eventually(async () => expect(receiver.requests).toHaveLength(2));
      await new Promise((resolve) => setTimeout(resolve, 300));

      expect(receiver.requests.map((r) => r.path).sort()).toEqual([
        '/hooks/kiln/both',
        '/hooks/kiln/failed',
      ]);
      const eventIds = receiver.requests.map((r) => JSON.parse(r.body).id);
      expect(eventIds[0]).toBe(eventIds[1]);
      expect(await deliveriesOf(t, owner, completedOnly.id)).toEqual([]);
      const [a] = await deliveriesOf(t, owner, both.id);
      const [b] = await deliveriesOf(t, owner, failedOnly.id);
      expect(a.eventId).toBe(b.eventId);
      expect(a.id).not.toBe(b.id);
    });

    it('does nothing for an owner without a matching webhook', async () => {
      const owner = await createAccount(t);
      await expect(publish(t, owner.id, 'job.completed', {})).resolves.toEqual([]);
    });

    it('writes no delivery when the change it reports is rolled back', async () => {
      const owner = await createAccount(t);
      const { id } = await register(t, owner, { url: receiver.url, events: ['job.failed'] });
      const rollback = new Error('the job row could not be written');
      await expect(
        t.app.get(DataSource).transaction(async (manager) => {
          const written = await t.app
            .get(WebhooksService)
            .recordEvent(manager, owner.id, 'job.failed', {});
          expect(written).toHaveLength(1);
          throw rollback;
        }),
      ).rejects.toBe(rollback);
      expect(await deliveriesOf(t, owner, id)).toEqual([]);
    });

    it('never sends a delivery that already succeeded again', async () => {
      const owner = await createAccount(t);
      const { id } = await register(t, owner, { url: receiver.url, events: ['job.completed'] });
      await publish(t, owner.id, 'job.completed', {});
      const [delivery] = await eventually(async () => {
        const deliveries = await deliveriesOf(t, owner, id);
        expect(deliveries[0]?.status).toBe('succeeded');
        return deliveries;
      });

      // The same delivery queued once more, as after a crash or a re-enqueue.
      const queue = t.app.get<Queue>(getQueueToken('webhooks'));
      const again = await queue.add({ deliveryId: delivery.id }, { jobId: `again-${delivery.id}` });
      await again.finished();

      expect(receiver.requests).toHaveLength(1);
      expect((await deliveriesOf(t, owner, id))[0]).toMatchObject({ attempts: 1 });
    });
    it('re-queues a pending delivery that Redis lost, and delivers it once', async () => {
      const owner = await createAccount(t);
      const { id } = await register(t, owner, { url: receiver.url, events: ['job.completed'] });
      // A delivery written while Redis could not take its job.
      await t.app.get(DataSource).query(
        `INSERT INTO webhook_deliveries (webhook_id, event_id, type, body, updated_at)
         VALUES ($1, $2, 'job.completed', '{"data":{}}', now() - interval '2 minutes')`,
        [id, randomUUID()],
      );
      expect(await t.app.get(WebhooksService).sweep()).toBeGreaterThanOrEqual(1);
      await eventually(async () => {
        expect((await deliveriesOf(t, owner, id))[0]?.status).toBe('succeeded');
      });
      expect(receiver.requests).toHaveLength(1);
    });
  });

  describe('when private targets are not allowed', () => {
    // A second application with the production default, on a Redis prefix of its own so its
    // worker and the other application's never take each other's deliveries.
    let strict: TestApp;
    const prefix = `${runIdentity().redisPrefix}-strict`;

    beforeAll(async () => {
      strict = await startWithWebhooks(
        { REDIS_PREFIX: prefix },
        { allowPrivateTargets: false, ...QUICK_RETRIES },
      );
    });
    afterAll(async () => {
      await strict.close();
      await deleteRedisKeys(prefix);
    });

    it.each([
      ['loopback', 'http://127.0.0.1/'],
      ['loopback with a port', 'http://127.0.0.1:8080/hook'],
      ['IPv6 loopback', 'http://[::1]/'],
      ['IPv4-mapped IPv6 loopback', 'http://[::ffff:127.0.0.1]/'],
      ['loopback written in hex', 'http://0x7f000001/'],
      ['the cloud metadata address', 'http://169.254.169.254/latest/meta-data/'],
      ['a private address', 'http://10.0.0.1/'],
      ['a private address', 'https://192.168.1.10/'],
      ['a CGNAT address', 'http://100.64.0.1/'],
      ['the unspecified address', 'http://0.0.0.0/'],
      ['an IPv6 unique-local address', 'http://[fd00::1]/'],
      ['an IPv6 link-local address', 'http://[fe80::1]/'],
      ['a multicast address', 'http://224.0.0.1/'],
      ['a name that resolves to loopback', 'http://localhost:3000/'],
    ])('refuses %s (%s) with 400', async (_, url) => {
      const owner = await createAccount(strict);
      const response = await strict.http
        .post('/api/v1/webhooks')
        .set(owner.auth)
        .send({ url, events: ['job.completed'] });
      const problem = expectProblem(response, 400);
      expect(problem.type).toBe(REFUSED);
      expect(problem.detail).toMatch(/not a public address/);
      expect(problem.errors).toEqual([{ field: 'url', message: expect.any(String) }]);
    });

    it('accepts a public address', async () => {
      const owner = await createAccount(strict);
      const response = await strict.http
        .post('/api/v1/webhooks')
        .set(owner.auth)
        .send({ url: 'https://93.184.215.14/kiln', events: ['job.completed'] });
      expect(response.status).toBe(201);
    });

    it('checks again at delivery time, and sends nothing to a private address', async () => {
      // As if the host had resolved to a public address at registration and no longer does.
      const owner = await createAccount(strict);
      const [{ id }] = await strict.app
        .get(DataSource)
        .query(
          `INSERT INTO webhooks (owner_id, url, events, secret) VALUES ($1, $2, '{job.failed}', 'whsec_x') RETURNING id`,
          [owner.id, receiver.url],
        );
      await publish(strict, owner.id, 'job.failed', {});

      const [delivery] = await eventually(async () => {
        const deliveries = await deliveriesOf(strict, owner, id);
        expect(deliveries[0]?.status).toBe('failed');
        return deliveries;
      });
      expect(delivery.attempts).toBe(3);
      expect(delivery.lastStatusCode).toBeNull();
      expect(delivery.lastError).toMatch(/^refused: 127\.0\.0\.1 is not a public address/);
      expect(receiver.requests).toEqual([]);
    });
  });
});
