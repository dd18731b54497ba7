import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { SecretBox } from '../src/infra/crypto/secret-box';
import { createAccount, TestAccount } from './support/accounts';
import { eventually } from './support/eventually';
import { FakeOpenAiServer } from './support/fake-openai-server';
import { expectProblem } from './support/problem';
import { readEvents } from './support/sse';
import { startTestApp, TestApp } from './support/test-app';

const CHAT_KEY = 'sk-chat-users-own-0001';
const EMBEDDINGS_KEY = 'sk-embeddings-users-own-0002';

function storeKey(t: TestApp, account: TestAccount, provider: string, key: string) {
  return t.http.put(`/api/v1/provider-keys/${provider}`).set(account.auth).send({ key });
}

async function storedRows(t: TestApp, account: TestAccount): Promise<Record<string, unknown>[]> {
  return t.app
    .get(DataSource)
    .query('SELECT * FROM provider_keys WHERE owner_id = $1 ORDER BY provider', [account.id]);
}

describe('provider keys', () => {
  let t: TestApp;
  let owner: TestAccount;

  beforeAll(async () => {
    t = await startTestApp();
  });
  beforeEach(async () => {
    owner = await createAccount(t);
  });
  afterAll(() => t.close());

  it('stores a key and shows only its last four characters', async () => {
    const stored = await storeKey(t, owner, 'chat', CHAT_KEY);
    expect(stored.status).toBe(200);
    expect(stored.body).toEqual({
      provider: 'chat',
      lastFour: '0001',
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    await storeKey(t, owner, 'embeddings', EMBEDDINGS_KEY).expect(200);

    const listed = await t.http.get('/api/v1/provider-keys').set(owner.auth).expect(200);
    expect(listed.body).toEqual([
      {
        provider: 'chat',
        lastFour: '0001',
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      },
      {
        provider: 'embeddings',
        lastFour: '0002',
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      },
    ]);
    expect(stored.text + listed.text).not.toContain('sk-');
  });

  it('keeps the key encrypted in the database', async () => {
    await storeKey(t, owner, 'chat', CHAT_KEY).expect(200);
    const [row] = await storedRows(t, owner);
    expect(JSON.stringify(row)).not.toContain(CHAT_KEY.slice(0, -4));
    expect(row).toMatchObject({ provider: 'chat', last_four: '0001' });
    expect(row.ciphertext).toEqual(expect.stringMatching(/^v1\.[0-9a-f]{8}\./));
  });

  it('replaces the key on a second PUT, keeping one row and its createdAt', async () => {
    const first = await storeKey(t, owner, 'chat', CHAT_KEY).expect(200);
    const [before] = await storedRows(t, owner);
    const second = await storeKey(t, owner, 'chat', 'sk-replacement-key-9999').expect(200);
    expect(second.body).toMatchObject({ lastFour: '9999', createdAt: first.body.createdAt });
    expect(new Date(second.body.updatedAt) >= new Date(first.body.updatedAt)).toBe(true);
    const rows = await storedRows(t, owner);
    expect(rows).toHaveLength(1);
    expect(rows[0].ciphertext).not.toBe(before.ciphertext);
  });

  it('deletes a key: 204, and 404 when there is none', async () => {
    await storeKey(t, owner, 'embeddings', EMBEDDINGS_KEY).expect(200);
    await t.http.delete('/api/v1/provider-keys/embeddings').set(owner.auth).expect(204);
    expect(await storedRows(t, owner)).toEqual([]);
    expectProblem(await t.http.delete('/api/v1/provider-keys/embeddings').set(owner.auth), 404);
    expectProblem(await t.http.delete('/api/v1/provider-keys/chat').set(owner.auth), 404);
  });

  it('keeps each user’s keys to themself', async () => {
    const other = await createAccount(t);
    await storeKey(t, owner, 'chat', CHAT_KEY).expect(200);
    expect((await t.http.get('/api/v1/provider-keys').set(other.auth).expect(200)).body).toEqual(
      [],
    );
    expectProblem(await t.http.delete('/api/v1/provider-keys/chat').set(other.auth), 404);
    expect(await storedRows(t, owner)).toHaveLength(1);
  });

  it('answers 400 for a provider it does not know, and stores nothing', async () => {
    for (const response of [
      await storeKey(t, owner, 'images', CHAT_KEY),
      await t.http.delete('/api/v1/provider-keys/images').set(owner.auth),
    ]) {
      const problem = expectProblem(response, 400);
      expect(problem.errors).toEqual([{ field: 'provider', message: expect.any(String) }]);
    }
    expect(await storedRows(t, owner)).toEqual([]);
  });

  it.each([
    ['a key shorter than 8 characters', { key: 'sk-1234' }, 'key'],
    ['a key longer than 500 characters', { key: 'k'.repeat(501) }, 'key'],
    ['a key with spaces in it', { key: 'sk-with spaces' }, 'key'],
    ['a key that is not a string', { key: 12345678 }, 'key'],
    ['no key', {}, 'key'],
    ['an unknown field', { key: CHAT_KEY, owner: 'someone' }, 'owner'],
  ])('answers 400 for %s, and stores nothing', async (_, body, field) => {
    const response = await t.http.put('/api/v1/provider-keys/chat').set(owner.auth).send(body);
    const problem = expectProblem(response, 400);
    expect(problem.errors).toContainEqual({ field, message: expect.any(String) });
    expect(await storedRows(t, owner)).toEqual([]);
  });

  it('answers 401 to a caller without credentials', async () => {
    expectProblem(await t.http.get('/api/v1/provider-keys'), 401);
    expectProblem(await t.http.put('/api/v1/provider-keys/chat').send({ key: CHAT_KEY }), 401);
    expectProblem(await t.http.delete('/api/v1/provider-keys/chat'), 401);
  });
});

describe('provider keys with the HTTP providers', () => {
  const SERVICE_EMBEDDINGS_KEY = 'service-embeddings-key';
  const SERVICE_CHAT_KEY = 'service-chat-key';
  let openai: FakeOpenAiServer;
  let env: Record<string, string>;
  let t: TestApp;
  let owner: TestAccount;
  let other: TestAccount;

  /** The Authorization headers the service got, per route, in order. */
  const sentKeys = (route: 'embeddings' | 'chat') =>
    openai.requestsTo(route).map((request) => request.headers.authorization);

  beforeAll(async () => {
    openai = await FakeOpenAiServer.start({ dimension: 8 });
    env = {
      EMBEDDINGS_BASE_URL: openai.baseUrl,
      EMBEDDINGS_API_KEY: SERVICE_EMBEDDINGS_KEY,
      EMBEDDINGS_MODEL: 'fake-embedder',
      EMBEDDINGS_DIMENSION: '8',
      CHAT_BASE_URL: openai.baseUrl,
      CHAT_API_KEY: SERVICE_CHAT_KEY,
      CHAT_MODEL: 'fake-model',
    };
    t = await startTestApp(env);
  });
  beforeEach(async () => {
    openai.configure({ dimension: 8, reply: 'From the service.' });
    [owner, other] = await Promise.all([createAccount(t), createAccount(t)]);
    await storeKey(t, owner, 'embeddings', EMBEDDINGS_KEY).expect(200);
    await storeKey(t, owner, 'chat', CHAT_KEY).expect(200);
  });
  afterAll(async () => {
    await t.close();
    await openai.close();
  });

  it('embeds on the caller’s own key, and on the service’s for a caller without one', async () => {
    await t.http.post('/api/v1/embeddings').set(owner.auth).send({ input: 'mine' }).expect(200);
    await t.http.post('/api/v1/embeddings').set(other.auth).send({ input: 'theirs' }).expect(200);
    expect(sentKeys('embeddings')).toEqual([
      `Bearer ${EMBEDDINGS_KEY}`,
      `Bearer ${SERVICE_EMBEDDINGS_KEY}`,
    ]);
  });

  it('embeds documents and text queries on the caller’s own key', async () => {
    const { id } = (
      await t.http
        .post('/api/v1/embeddings/collections')
        .set(owner.auth)
        .send({ name: 'byok' })
        .expect(201)
    ).body;
    await t.http
      .post(`/api/v1/embeddings/collections/${id}/documents`)
      .set(owner.auth)
      .send({ documents: [{ id: 'a', text: 'Kilns fire clay.' }] })
      .expect(201);
    await t.http
      .post(`/api/v1/embeddings/collections/${id}/search`)
      .set(owner.auth)
      .send({ query: 'clay' })
      .expect(200);
    expect(sentKeys('embeddings')).toEqual([
      `Bearer ${EMBEDDINGS_KEY}`,
      `Bearer ${EMBEDDINGS_KEY}`,
    ]);
  });

  it('answers in a conversation on the caller’s own keys, streamed or not', async () => {
    const collection = (
      await t.http
        .post('/api/v1/embeddings/collections')
        .set(owner.auth)
        .send({ name: 'grounding' })
        .expect(201)
    ).body;
    await t.http
      .post(`/api/v1/embeddings/collections/${collection.id}/documents`)
      .set(owner.auth)
      .send({ documents: [{ id: 'a', text: 'Kilns fire clay.' }] })
      .expect(201);
    const { id } = (
      await t.http
        .post('/api/v1/conversations')
        .set(owner.auth)
        .send({ collectionId: collection.id })
        .expect(201)
    ).body;
    openai.configure({ dimension: 8, reply: 'From the service.' });

    const posted = await t.http
      .post(`/api/v1/conversations/${id}/messages`)
      .set(owner.auth)
      .send({ content: 'What do kilns do?' })
      .expect(201);
    expect(posted.body.reply.content).toBe('From the service.');
    const { events } = await readEvents(
      t.http
        .post(`/api/v1/conversations/${id}/messages`)
        .set(owner.auth)
        .set('Accept', 'text/event-stream')
        .send({ content: 'And then?' }),
    );
    expect(events.at(-1)!.event).toBe('done');

    expect(sentKeys('chat')).toEqual([`Bearer ${CHAT_KEY}`, `Bearer ${CHAT_KEY}`]);
    // The question is embedded to find the passages, on the caller's own embeddings key too.
    expect(sentKeys('embeddings')).toEqual([
      `Bearer ${EMBEDDINGS_KEY}`,
      `Bearer ${EMBEDDINGS_KEY}`,
    ]);
  });

  it('answers on the service’s chat key for a caller without one of their own', async () => {
    const { id } = (await t.http.post('/api/v1/conversations').set(other.auth).send({}).expect(201))
      .body;
    await t.http
      .post(`/api/v1/conversations/${id}/messages`)
      .set(other.auth)
      .send({ content: 'hello' })
      .expect(201);
    expect(sentKeys('chat')).toEqual([`Bearer ${SERVICE_CHAT_KEY}`]);
  });

  it('uses the service’s key again once the caller deletes their own', async () => {
    await t.http.delete('/api/v1/provider-keys/embeddings').set(owner.auth).expect(204);
    await t.http.post('/api/v1/embeddings').set(owner.auth).send({ input: 'x' }).expect(200);
    expect(sentKeys('embeddings')).toEqual([`Bearer ${SERVICE_EMBEDDINGS_KEY}`]);
  });

  describe('when DATA_ENCRYPTION_KEY is rotated', () => {
    // Further applications on the same database, with other keys: the api role only, so that
    // they take no queued work from the first. Passport keeps one strategy per name in a
    // process, the last application's, which authenticates for all: they close only at the end.
    const rotated: TestApp[] = [];
    const startWith = async (keys: Record<string, string>): Promise<TestApp> => {
      rotated.push(await startTestApp({ ...env, APP_ROLE: 'api', ...keys }));
      return rotated[rotated.length - 1];
    };
    afterAll(async () => {
      for (const app of rotated) await app.close();
    });

    it('re-encrypts stored keys under the new key at start, and keeps using them', async () => {
      // The owner's keys are sealed under the first application's key, now the previous one.
      const app = await startWith({
        DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
        DATA_ENCRYPTION_PREVIOUS_KEYS: t.config.encryption.key.toString('hex'),
      });
      const { prefix } = app.app.get(SecretBox);
      await eventually(async () => {
        const rows = await storedRows(t, owner);
        expect(rows.map((row) => String(row.ciphertext).startsWith(prefix))).toEqual([true, true]);
      });
      await app.http.post('/api/v1/embeddings').set(owner.auth).send({ input: 'x' }).expect(200);
      expect(sentKeys('embeddings')).toEqual([`Bearer ${EMBEDDINGS_KEY}`]);
    });

    it('says so when a stored key no longer opens, rather than use the service’s key', async () => {
      const app = await startWith({ DATA_ENCRYPTION_KEY: randomBytes(32).toString('hex') });
      const response = await app.http
        .post('/api/v1/embeddings')
        .set(owner.auth)
        .send({ input: 'x' });
      expect(expectProblem(response, 409).detail).toMatch(/store it again/);
      expect(sentKeys('embeddings')).toEqual([]);

      await storeKey(app, owner, 'embeddings', EMBEDDINGS_KEY).expect(200);
      await app.http.post('/api/v1/embeddings').set(owner.auth).send({ input: 'x' }).expect(200);
      expect(sentKeys('embeddings')).toEqual([`Bearer ${EMBEDDINGS_KEY}`]);
    });
  });
});
