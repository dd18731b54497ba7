import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createAccount } from './support/accounts';
import { expectProblem } from './support/problem';
import { startTestApp, TestApp } from './support/test-app';

describe('API keys', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('creates a key shown once, stored only as a hash', async () => {
    const account = await createAccount(t);
    const response = await t.http.post('/api/v1/api-keys').set(account.auth).send({ name: 'CI' });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      id: expect.any(String),
      name: 'CI',
      scopes: ['read', 'write'],
      expiresAt: null,
    });
    expect(response.body.key).toMatch(/^kiln_[A-Za-z0-9_-]{43}$/);
    expect(response.body.key.startsWith(response.body.prefix)).toBe(true);

    const [row] = await t.app
      .get(DataSource)
      .query('SELECT * FROM api_keys WHERE id = $1', [response.body.id]);
    expect(JSON.stringify(row)).not.toContain(response.body.key);

    const list = await t.http.get('/api/v1/api-keys').set(account.auth);
    expect(list.body).toHaveLength(1);
    expect(list.body[0]).not.toHaveProperty('key');
  });

  it('authenticates as Bearer and as X-API-Key, and records when it was used', async () => {
    const account = await createAccount(t);
    const { key, id } = (
      await t.http.post('/api/v1/api-keys').set(account.auth).send({ name: 'k' })
    ).body;
    const bearer = await t.http.get('/api/v1/auth/me').set('Authorization', `Bearer ${key}`);
    expect(bearer.status).toBe(200);
    expect(bearer.body.id).toBe(account.id);
    const header = await t.http.get('/api/v1/auth/me').set('X-API-Key', key);
    expect(header.body.id).toBe(account.id);
    const [row] = await t.app
      .get(DataSource)
      .query('SELECT last_used_at FROM api_keys WHERE id = $1', [id]);
    expect(row.last_used_at).not.toBeNull();
  });

  it('limits a read-only key to safe methods', async () => {
    const account = await createAccount(t);
    const { key } = (
      await t.http
        .post('/api/v1/api-keys')
        .set(account.auth)
        .send({ name: 'ro', scopes: ['read'] })
    ).body;
    expect((await t.http.get('/api/v1/api-keys').set('X-API-Key', key)).status).toBe(200);
    const write = await t.http.post('/api/v1/api-keys').set('X-API-Key', key).send({ name: 'x' });
    expectProblem(write, 403);
  });

  it('stops an expired key', async () => {
    const account = await createAccount(t);
    const { key, id } = (
      await t.http
        .post('/api/v1/api-keys')
        .set(account.auth)
        .send({ name: 'short-lived', expiresAt: new Date(Date.now() + 60_000).toISOString() })
    ).body;
    await t.app
      .get(DataSource)
      .query(`UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = $1`, [id]);
    expectProblem(await t.http.get('/api/v1/auth/me').set('X-API-Key', key), 401);
  });

  it('answers 401 for an unknown key', async () => {
    expectProblem(await t.http.get('/api/v1/auth/me').set('X-API-Key', 'kiln_nope'), 401);
    expectProblem(
      await t.http.get('/api/v1/auth/me').set('Authorization', 'Bearer kiln_nope'),
      401,
    );
  });

  it('answers 400 for a bad body: no name, an unknown scope, an expiry in the past', async () => {
    const account = await createAccount(t);
    const response = await t.http
      .post('/api/v1/api-keys')
      .set(account.auth)
      .send({ scopes: ['admin'], expiresAt: '2001-01-01T00:00:00Z' });
    const body = expectProblem(response, 400);
    const fields = new Set((body.errors as { field: string }[]).map((e) => e.field));
    expect([...fields].sort()).toEqual(['expiresAt', 'name', 'scopes']);
  });

  it("deletes a key, which stops at once; 403 for another user's, 404 for an unknown", async () => {
    const account = await createAccount(t);
    const other = await createAccount(t);
    const { key, id } = (
      await t.http.post('/api/v1/api-keys').set(account.auth).send({ name: 'k' })
    ).body;
    expectProblem(await t.http.delete(`/api/v1/api-keys/${id}`).set(other.auth), 403);
    expect((await t.http.get('/api/v1/auth/me').set('X-API-Key', key)).status).toBe(200);
    expect((await t.http.delete(`/api/v1/api-keys/${id}`).set(account.auth)).status).toBe(204);
    expectProblem(await t.http.get('/api/v1/auth/me').set('X-API-Key', key), 401);
    expectProblem(await t.http.delete(`/api/v1/api-keys/${randomUUID()}`).set(account.auth), 404);
  });
});
