import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { SecretBox } from '../src/infra/crypto/secret-box';
import { dropDatabase, ensureDatabase } from '../src/infra/database/ensure-database';
import { createAccount, TestAccount } from './support/accounts';
import { eventually } from './support/eventually';
import { deleteRedisKeys } from './support/redis-keys';
import { startTestApp, TestApp } from './support/test-app';
import { runIdentity } from './support/test-env';
import { ReceivedRequest, WebhookReceiver } from './support/webhook-receiver';
import { expectSignedWith, publish } from './support/webhooks';

/** As a webhook registered before secrets were sealed stores it: as it was shown. */
const LEGACY_SECRET = `whsec_${randomBytes(32).toString('base64url')}`;

/**
 * Webhook secrets across restarts and DATA_ENCRYPTION_KEY rotations, in order. These applications
 * seal every secret of their database at start, and their workers take any queued delivery, so
 * they have a database and a Redis prefix of their own: other suites' webhooks keep their key.
 * One runs at a time (Passport keeps the last application's strategy for all).
 */
describe('webhook secrets at rest', () => {
  const run = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const databaseUrl = Object.assign(new URL(runIdentity().databaseUrl), {
    pathname: `/kiln_webhook_secrets_${run}`,
  }).toString();
  const redisPrefix = `kiln-webhook-secrets-${run}`;
  const firstKey = randomBytes(32).toString('hex');
  let app: TestApp | undefined;
  let receiver: WebhookReceiver;
  let owner: TestAccount;

  /** Stops the running application, if any, and starts one with these keys. */
  async function restart(keys: Record<string, string>): Promise<TestApp> {
    await app?.close();
    app = await startTestApp({
      DATABASE_URL: databaseUrl,
      MIGRATIONS_RUN: 'true',
      REDIS_PREFIX: redisPrefix,
      ...keys,
    });
    return app;
  }

  async function storedSecrets(t: TestApp): Promise<string[]> {
    const rows: { secret: string }[] = await t.app
      .get(DataSource)
      .query('SELECT secret FROM webhooks ORDER BY url');
    return rows.map((row) => row.secret);
  }

  /** Publishes an event to the owner's webhooks; the requests it caused, by path. */
  async function deliverEvent(t: TestApp, count: number): Promise<Map<string, ReceivedRequest>> {
    const before = receiver.requests.length;
    await publish(t, owner.id, 'job.completed', {});
    const requests = await eventually(async () => {
      expect(receiver.requests).toHaveLength(before + count);
      return receiver.requests.slice(before);
    });
    return new Map(requests.map((request) => [request.path, request]));
  }

  beforeAll(async () => {
    await ensureDatabase(databaseUrl);
    receiver = await WebhookReceiver.start();
  });
  afterAll(async () => {
    await app?.close();
    await receiver.close();
    await dropDatabase(databaseUrl);
    await deleteRedisKeys(redisPrefix);
  });

  it('signs with a secret stored in plain text, and seals it at the next start', async () => {
    const t = await restart({ DATA_ENCRYPTION_KEY: firstKey });
    owner = await createAccount(t);
    await t.app
      .get(DataSource)
      .query(
        `INSERT INTO webhooks (owner_id, url, events, secret) VALUES ($1, $2, '{job.completed}', $3)`,
        [owner.id, `${receiver.url}/legacy`, LEGACY_SECRET],
      );
    expectSignedWith((await deliverEvent(t, 1)).get('/hooks/kiln/legacy')!, LEGACY_SECRET);

    const restarted = await restart({ DATA_ENCRYPTION_KEY: firstKey });
    const { prefix } = restarted.app.get(SecretBox);
    const [sealed] = await eventually(async () => {
      const secrets = await storedSecrets(restarted);
      expect(secrets[0].startsWith(prefix)).toBe(true);
      return secrets;
    });
    expect(sealed).not.toContain(LEGACY_SECRET.slice('whsec_'.length));
    expectSignedWith((await deliverEvent(restarted, 1)).get('/hooks/kiln/legacy')!, LEGACY_SECRET);
  });

  it('re-seals secrets under a new key at start, and keeps signing with them', async () => {
    const response = await app!.http
      .post('/api/v1/webhooks')
      .set(owner.auth)
      .send({ url: `${receiver.url}/registered`, events: ['job.completed'] })
      .expect(201);
    const registeredSecret: string = response.body.secret;

    const rotated = await restart({
      DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      DATA_ENCRYPTION_PREVIOUS_KEYS: firstKey,
    });
    const { prefix } = rotated.app.get(SecretBox);
    await eventually(async () => {
      const secrets = await storedSecrets(rotated);
      expect(secrets.map((secret) => secret.startsWith(prefix))).toEqual([true, true]);
    });
    const requests = await deliverEvent(rotated, 2);
    expectSignedWith(requests.get('/hooks/kiln/legacy')!, LEGACY_SECRET);
    expectSignedWith(requests.get('/hooks/kiln/registered')!, registeredSecret);
  });

  it('fails the delivery, sending nothing, when a secret no longer opens', async () => {
    const t = await restart({ DATA_ENCRYPTION_KEY: randomBytes(32).toString('hex') });
    const received = receiver.requests.length;
    const ids = await publish(t, owner.id, 'job.completed', {});
    expect(ids).toHaveLength(2);
    const deliveries = await eventually(async () => {
      const rows: { status: string; last_error: string }[] = await t.app
        .get(DataSource)
        .query('SELECT status, last_error FROM webhook_deliveries WHERE id = ANY($1)', [ids]);
      expect(rows.map((row) => row.status)).toEqual(['failed', 'failed']);
      return rows;
    });
    for (const { last_error } of deliveries) {
      expect(last_error).toBe(
        'the signing secret can no longer be read; register the webhook again',
      );
    }
    expect(receiver.requests).toHaveLength(received);
  });
});
