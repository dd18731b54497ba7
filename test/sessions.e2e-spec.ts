import { randomUUID } from 'node:crypto';
import { createAccount } from './support/accounts';
import { expectProblem } from './support/problem';
import { startTestApp, TestApp } from './support/test-app';

describe('sessions', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('lists the active sessions with device, ip and which one is current', async () => {
    const account = await createAccount(t);
    await t.http
      .post('/api/v1/auth/login')
      .set('User-Agent', 'KilnPhone/2.0')
      .send({ email: account.email, password: account.password });
    const response = await t.http.get('/api/v1/auth/sessions').set(account.auth);
    expect(response.status).toBe(200);
    expect(response.body).toHaveLength(2);
    expect(response.body.map((s: { device: string }) => s.device)).toContain('KilnPhone/2.0');
    expect(response.body.filter((s: { current: boolean }) => s.current)).toHaveLength(1);
    expect(response.body[0]).toEqual({
      id: expect.any(String),
      device: expect.any(String),
      ip: expect.stringContaining('127.0.0.1'),
      createdAt: expect.any(String),
      lastUsedAt: expect.any(String),
      expiresAt: expect.any(String),
      current: expect.any(Boolean),
    });
  });

  it('revokes one session: its refresh token stops working, the others do not', async () => {
    const account = await createAccount(t);
    const phone = await t.http
      .post('/api/v1/auth/login')
      .send({ email: account.email, password: account.password });
    const sessions = await t.http.get('/api/v1/auth/sessions').set(account.auth);
    const target = sessions.body.find((s: { current: boolean }) => !s.current);

    const response = await t.http.delete(`/api/v1/auth/sessions/${target.id}`).set(account.auth);
    expect(response.status).toBe(204);
    expectProblem(
      await t.http.post('/api/v1/auth/refresh').send({ refreshToken: phone.body.refreshToken }),
      401,
    );
    const own = await t.http
      .post('/api/v1/auth/refresh')
      .send({ refreshToken: account.refreshToken });
    expect(own.status).toBe(200);
  });

  it("answers 403 for another user's session, 404 for an unknown one, 400 for a bad id", async () => {
    const mine = await createAccount(t);
    const theirs = await createAccount(t);
    const [theirSession] = (await t.http.get('/api/v1/auth/sessions').set(theirs.auth)).body;
    expectProblem(
      await t.http.delete(`/api/v1/auth/sessions/${theirSession.id}`).set(mine.auth),
      403,
    );
    expectProblem(await t.http.delete(`/api/v1/auth/sessions/${randomUUID()}`).set(mine.auth), 404);
    expectProblem(await t.http.delete('/api/v1/auth/sessions/not-a-uuid').set(mine.auth), 400);
  });

  it('answers 401 without authentication', async () => {
    expectProblem(await t.http.get('/api/v1/auth/sessions'), 401);
  });
});
