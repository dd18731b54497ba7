import { sign } from 'jsonwebtoken';
import { DataSource } from 'typeorm';
import { createAccount, uniqueEmail } from './support/accounts';
import { expectProblem } from './support/problem';
import { startTestApp, TestApp } from './support/test-app';

const PASSWORD = 'correct horse battery staple';

describe('auth', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  describe('POST /auth/register', () => {
    it('creates the account and signs in, never showing the password hash', async () => {
      const email = uniqueEmail('reg');
      const response = await t.http
        .post('/api/v1/auth/register')
        .send({ email, password: PASSWORD, name: 'Ada' });
      expect(response.status).toBe(201);
      expect(response.body).toEqual({
        user: {
          id: expect.any(String),
          email,
          name: 'Ada',
          role: 'user',
          status: 'active',
          createdAt: expect.any(String),
          updatedAt: expect.any(String),
        },
        accessToken: expect.any(String),
        refreshToken: expect.any(String),
        expiresIn: 900,
      });
      expect(response.text).not.toMatch(/password/i);
      const [row] = await t.app
        .get(DataSource)
        .query('SELECT password_hash FROM users WHERE id = $1', [response.body.user.id]);
      expect(row.password_hash).toMatch(/^\$2[aby]\$04\$/);
    });

    it('answers 409 when the email is taken in any case, and creates nothing', async () => {
      const email = uniqueEmail('dup');
      await createAccount(t, undefined, { email });
      const response = await t.http
        .post('/api/v1/auth/register')
        .send({ email: email.toUpperCase(), password: PASSWORD });
      expectProblem(response, 409);
      const [{ count }] = await t.app
        .get(DataSource)
        .query('SELECT count(*)::int AS count FROM users WHERE email = $1', [email]);
      expect(count).toBe(1);
    });

    it('stores the email lower-cased', async () => {
      const email = uniqueEmail('Case');
      const response = await t.http
        .post('/api/v1/auth/register')
        .send({ email: `  ${email.toUpperCase()} `.trim(), password: PASSWORD });
      expect(response.body.user.email).toBe(email.toLowerCase());
    });

    it('answers 400 listing each bad field', async () => {
      const response = await t.http
        .post('/api/v1/auth/register')
        .send({ email: 'not-an-email', password: 'short', role: 'admin' });
      const body = expectProblem(response, 400);
      const fields = (body.errors as { field: string }[]).map((e) => e.field).sort();
      expect(fields).toEqual(['email', 'password', 'role']);
    });

    it('answers 400 for a password over 128 characters', async () => {
      const response = await t.http
        .post('/api/v1/auth/register')
        .send({ email: uniqueEmail(), password: 'x'.repeat(129) });
      expectProblem(response, 400);
    });

    it('tells apart long passwords that share their first 72 bytes', async () => {
      const email = uniqueEmail('long');
      const password = `${'a'.repeat(100)}-one`;
      await createAccount(t, undefined, { email, password });
      const wrong = await t.http
        .post('/api/v1/auth/login')
        .send({ email, password: `${'a'.repeat(100)}-two` });
      expectProblem(wrong, 401);
      const right = await t.http.post('/api/v1/auth/login').send({ email, password });
      expect(right.status).toBe(200);
    });
  });

  describe('POST /auth/login', () => {
    it('signs in with the right password, whatever the email case', async () => {
      const account = await createAccount(t);
      const response = await t.http
        .post('/api/v1/auth/login')
        .send({ email: account.email.toUpperCase(), password: account.password });
      expect(response.status).toBe(200);
      expect(response.body.user.id).toBe(account.id);
      expect(response.body.refreshToken).not.toBe(account.refreshToken);
    });

    it('answers the same 401 for a wrong password and for an unknown email', async () => {
      const account = await createAccount(t);
      const wrong = await t.http
        .post('/api/v1/auth/login')
        .send({ email: account.email, password: 'wrong password!' });
      const unknown = await t.http
        .post('/api/v1/auth/login')
        .send({ email: uniqueEmail('nobody'), password: 'wrong password!' });
      const a = expectProblem(wrong, 401);
      const b = expectProblem(unknown, 401);
      expect(a.detail).toBe(b.detail);
    });

    it('answers 403 for a deactivated account with the right password', async () => {
      const account = await createAccount(t);
      await t.app
        .get(DataSource)
        .query(`UPDATE users SET status = 'deactivated' WHERE id = $1`, [account.id]);
      const response = await t.http
        .post('/api/v1/auth/login')
        .send({ email: account.email, password: account.password });
      expectProblem(response, 403);
    });

    it('answers 400 for a missing password', async () => {
      expectProblem(await t.http.post('/api/v1/auth/login').send({ email: uniqueEmail() }), 400);
    });
  });

  describe('GET and PATCH /auth/me', () => {
    it('answers the caller', async () => {
      const account = await createAccount(t);
      const response = await t.http.get('/api/v1/auth/me').set(account.auth);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ id: account.id, email: account.email, role: 'user' });
      expect(response.body).not.toHaveProperty('passwordHash');
    });

    it('changes the name, and refuses other fields', async () => {
      const account = await createAccount(t);
      const ok = await t.http.patch('/api/v1/auth/me').set(account.auth).send({ name: 'Grace' });
      expect(ok.status).toBe(200);
      expect(ok.body.name).toBe('Grace');
      const bad = await t.http.patch('/api/v1/auth/me').set(account.auth).send({ role: 'admin' });
      expectProblem(bad, 400);
      const me = await t.http.get('/api/v1/auth/me').set(account.auth);
      expect(me.body).toMatchObject({ name: 'Grace', role: 'user' });
    });

    it('answers 401 without a token, with a forged one and with an expired one', async () => {
      const account = await createAccount(t);
      expectProblem(await t.http.get('/api/v1/auth/me'), 401);
      const forged = sign({ sub: account.id, sid: 'x' }, 'not-the-secret-of-this-service-1234567');
      expectProblem(
        await t.http.get('/api/v1/auth/me').set('Authorization', `Bearer ${forged}`),
        401,
      );
      const expired = sign(
        { sub: account.id, sid: 'x', exp: Math.floor(Date.now() / 1000) - 10 },
        t.config.auth.jwtSecret,
      );
      expectProblem(
        await t.http.get('/api/v1/auth/me').set('Authorization', `Bearer ${expired}`),
        401,
      );
    });

    it('answers 401 for a token whose user was deleted', async () => {
      const account = await createAccount(t);
      await t.app
        .get(DataSource)
        .query('UPDATE users SET deleted_at = now() WHERE id = $1', [account.id]);
      expectProblem(await t.http.get('/api/v1/auth/me').set(account.auth), 401);
    });
  });

  describe('POST /auth/refresh', () => {
    it('spends the token and issues a new pair', async () => {
      const account = await createAccount(t);
      const first = await t.http
        .post('/api/v1/auth/refresh')
        .send({ refreshToken: account.refreshToken });
      expect(first.status).toBe(200);
      expect(first.body.refreshToken).not.toBe(account.refreshToken);
      const me = await t.http
        .get('/api/v1/auth/me')
        .set('Authorization', `Bearer ${first.body.accessToken}`);
      expect(me.body.id).toBe(account.id);
    });

    it('treats a spent token presented again as theft: 401, and the whole family is revoked', async () => {
      const account = await createAccount(t);
      const rotated = await t.http
        .post('/api/v1/auth/refresh')
        .send({ refreshToken: account.refreshToken });
      const replay = await t.http
        .post('/api/v1/auth/refresh')
        .send({ refreshToken: account.refreshToken });
      expect(expectProblem(replay, 401).detail).toMatch(/already used/);
      const legit = await t.http
        .post('/api/v1/auth/refresh')
        .send({ refreshToken: rotated.body.refreshToken });
      expectProblem(legit, 401);
      const sessions = await t.http.get('/api/v1/auth/sessions').set(account.auth);
      expect(sessions.body).toEqual([]);
    });

    it('lets exactly one of two simultaneous exchanges of a token win', async () => {
      const account = await createAccount(t);
      const answers = await Promise.all(
        [1, 2].map(() =>
          t.http.post('/api/v1/auth/refresh').send({ refreshToken: account.refreshToken }),
        ),
      );
      expect(answers.map((a) => a.status).sort()).toEqual([200, 401]);
    });

    it('answers 401 for an unknown token and 400 for a missing one', async () => {
      expectProblem(
        await t.http.post('/api/v1/auth/refresh').send({ refreshToken: 'no-such-token' }),
        401,
      );
      expectProblem(await t.http.post('/api/v1/auth/refresh').send({}), 400);
    });
  });

  describe('POST /auth/logout', () => {
    it('revokes the session of the refresh token', async () => {
      const account = await createAccount(t);
      const response = await t.http
        .post('/api/v1/auth/logout')
        .set(account.auth)
        .send({ refreshToken: account.refreshToken });
      expect(response.status).toBe(204);
      expectProblem(
        await t.http.post('/api/v1/auth/refresh').send({ refreshToken: account.refreshToken }),
        401,
      );
    });

    it('does not touch a session of someone else', async () => {
      const mine = await createAccount(t);
      const theirs = await createAccount(t);
      await t.http
        .post('/api/v1/auth/logout')
        .set(mine.auth)
        .send({ refreshToken: theirs.refreshToken });
      const refreshed = await t.http
        .post('/api/v1/auth/refresh')
        .send({ refreshToken: theirs.refreshToken });
      expect(refreshed.status).toBe(200);
    });

    it('answers 401 without authentication', async () => {
      expectProblem(await t.http.post('/api/v1/auth/logout').send({ refreshToken: 'x' }), 401);
    });
  });

  describe('POST /auth/change-password', () => {
    it('changes the password and revokes every other session', async () => {
      const account = await createAccount(t);
      const otherDevice = await t.http
        .post('/api/v1/auth/login')
        .send({ email: account.email, password: account.password });
      const response = await t.http
        .post('/api/v1/auth/change-password')
        .set(account.auth)
        .send({ currentPassword: account.password, newPassword: 'a brand new passphrase' });
      expect(response.status).toBe(204);

      expectProblem(
        await t.http
          .post('/api/v1/auth/refresh')
          .send({ refreshToken: otherDevice.body.refreshToken }),
        401,
      );
      const own = await t.http
        .post('/api/v1/auth/refresh')
        .send({ refreshToken: account.refreshToken });
      expect(own.status).toBe(200);
      expectProblem(
        await t.http
          .post('/api/v1/auth/login')
          .send({ email: account.email, password: account.password }),
        401,
      );
      const relogin = await t.http
        .post('/api/v1/auth/login')
        .send({ email: account.email, password: 'a brand new passphrase' });
      expect(relogin.status).toBe(200);
    });

    it('answers 403 when the current password is wrong, and changes nothing', async () => {
      const account = await createAccount(t);
      const response = await t.http
        .post('/api/v1/auth/change-password')
        .set(account.auth)
        .send({ currentPassword: 'not my password', newPassword: 'a brand new passphrase' });
      expectProblem(response, 403);
      const login = await t.http
        .post('/api/v1/auth/login')
        .send({ email: account.email, password: account.password });
      expect(login.status).toBe(200);
    });

    it('answers 400 for a new password that is too short', async () => {
      const account = await createAccount(t);
      const response = await t.http
        .post('/api/v1/auth/change-password')
        .set(account.auth)
        .send({ currentPassword: account.password, newPassword: 'short' });
      expectProblem(response, 400);
    });
  });
});
