import { DataSource } from 'typeorm';
import { createAccount, lastMailTo, uniqueEmail } from './support/accounts';
import { eventually } from './support/eventually';
import { expectProblem } from './support/problem';
import { startTestApp, TestApp } from './support/test-app';

async function resetTokenFor(t: TestApp, email: string): Promise<string> {
  const response = await t.http.post('/api/v1/auth/password-reset/request').send({ email });
  expect(response.status).toBe(202);
  const mail = await eventually(async () => {
    const found = await lastMailTo(t, email.toLowerCase());
    expect(found).toBeDefined();
    return found!;
  });
  return /reset token: (\S+)/.exec(mail.text)![1];
}

describe('password reset', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('runs end to end through the outbox and revokes every session', async () => {
    const account = await createAccount(t);
    const token = await resetTokenFor(t, account.email.toUpperCase());
    const mail = await lastMailTo(t, account.email);
    expect(mail!.text).toContain(`http://localhost:3000/reset-password?token=${token}`);

    const confirm = await t.http
      .post('/api/v1/auth/password-reset/confirm')
      .send({ token, newPassword: 'a fresh passphrase' });
    expect(confirm.status).toBe(204);

    expectProblem(
      await t.http.post('/api/v1/auth/refresh').send({ refreshToken: account.refreshToken }),
      401,
    );
    const login = await t.http
      .post('/api/v1/auth/login')
      .send({ email: account.email, password: 'a fresh passphrase' });
    expect(login.status).toBe(200);
  });

  it('answers 202 for an unknown email too, and sends nothing', async () => {
    const email = uniqueEmail('ghost');
    const response = await t.http.post('/api/v1/auth/password-reset/request').send({ email });
    expect(response.status).toBe(202);
    expect(response.text).toBe('');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await lastMailTo(t, email)).toBeUndefined();
  });

  it('answers the same way, with the same empty body, whether or not the account exists', async () => {
    const account = await createAccount(t);
    const known = await t.http
      .post('/api/v1/auth/password-reset/request')
      .send({ email: account.email });
    const unknown = await t.http
      .post('/api/v1/auth/password-reset/request')
      .send({ email: uniqueEmail('ghost') });
    expect([known.status, known.text]).toEqual([unknown.status, unknown.text]);
  });

  it('accepts a token once', async () => {
    const account = await createAccount(t);
    const token = await resetTokenFor(t, account.email);
    const body = { token, newPassword: 'first new passphrase' };
    expect((await t.http.post('/api/v1/auth/password-reset/confirm').send(body)).status).toBe(204);
    expectProblem(await t.http.post('/api/v1/auth/password-reset/confirm').send(body), 400);
  });

  it('refuses an expired token and keeps the old password', async () => {
    const account = await createAccount(t);
    const token = await resetTokenFor(t, account.email);
    await t.app
      .get(DataSource)
      .query(
        `UPDATE password_reset_tokens SET expires_at = now() - interval '1 minute' WHERE user_id = $1`,
        [account.id],
      );
    const confirm = await t.http
      .post('/api/v1/auth/password-reset/confirm')
      .send({ token, newPassword: 'never applied pass' });
    expectProblem(confirm, 400);
    const login = await t.http
      .post('/api/v1/auth/login')
      .send({ email: account.email, password: account.password });
    expect(login.status).toBe(200);
  });

  it('answers 400 for a bogus token and for a bad body', async () => {
    expectProblem(
      await t.http
        .post('/api/v1/auth/password-reset/confirm')
        .send({ token: 'bogus', newPassword: 'long enough pass' }),
      400,
    );
    expectProblem(
      await t.http.post('/api/v1/auth/password-reset/request').send({ email: 'nope' }),
      400,
    );
  });
});
