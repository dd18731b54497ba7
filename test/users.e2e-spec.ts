import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { UserRole } from '../src/common/auth/role';
import { createAccount, TestAccount, uniqueEmail } from './support/accounts';
import { expectProblem } from './support/problem';
import { startTestApp, TestApp } from './support/test-app';

describe('users administration', () => {
  let t: TestApp;
  let admin: TestAccount;
  let operator: TestAccount;
  let user: TestAccount;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await createAccount(t, UserRole.Admin);
    operator = await createAccount(t, UserRole.Operator);
    user = await createAccount(t);
  });
  afterAll(() => t.close());

  const auditFor = (targetId: string) =>
    t.app
      .get(DataSource)
      .query('SELECT actor_id, action, details, ip FROM audit_log WHERE target_id = $1', [
        targetId,
      ]);

  describe('GET /users', () => {
    it('lists users for operators and admins, paginated', async () => {
      const response = await t.http.get('/api/v1/users?page=1&limit=2').set(operator.auth);
      expect(response.status).toBe(200);
      expect(response.body.data).toHaveLength(2);
      expect(response.body.meta).toEqual({
        page: 1,
        limit: 2,
        total: expect.any(Number),
        totalPages: Math.ceil(response.body.meta.total / 2),
      });
      expect(response.text).not.toMatch(/password/i);
    });

    it('filters by search, role and status', async () => {
      const tag = randomUUID().slice(0, 8);
      const target = await createAccount(t, UserRole.Operator, {
        email: uniqueEmail(`find-${tag}`),
      });
      const response = await t.http
        .get(`/api/v1/users?search=${tag}&role=operator&status=active`)
        .set(admin.auth);
      expect(response.body.data.map((u: { id: string }) => u.id)).toEqual([target.id]);
      const none = await t.http.get(`/api/v1/users?search=${tag}&role=admin`).set(admin.auth);
      expect(none.body.meta.total).toBe(0);
    });

    it('treats % and _ in a search as plain characters', async () => {
      const response = await t.http.get('/api/v1/users?search=%25').set(admin.auth);
      expect(response.body.meta.total).toBe(0);
    });

    it('answers 403 to a plain user and 400 to a bad query', async () => {
      expectProblem(await t.http.get('/api/v1/users').set(user.auth), 403);
      const bad = await t.http.get('/api/v1/users?limit=500&role=king').set(admin.auth);
      const body = expectProblem(bad, 400);
      const fields = new Set((body.errors as { field: string }[]).map((e) => e.field));
      expect([...fields].sort()).toEqual(['limit', 'role']);
    });
  });

  describe('GET /users/:id', () => {
    it('answers the user, 404 for an unknown id, 400 for a malformed one', async () => {
      const ok = await t.http.get(`/api/v1/users/${user.id}`).set(operator.auth);
      expect(ok.body).toMatchObject({ id: user.id, email: user.email });
      expectProblem(await t.http.get(`/api/v1/users/${randomUUID()}`).set(operator.auth), 404);
      expectProblem(await t.http.get('/api/v1/users/42').set(operator.auth), 400);
    });
  });

  describe('PATCH /users/:id/role', () => {
    it('changes the role for admins and audits it, with the actor and ip', async () => {
      const target = await createAccount(t);
      const response = await t.http
        .patch(`/api/v1/users/${target.id}/role`)
        .set(admin.auth)
        .send({ role: 'operator' });
      expect(response.status).toBe(200);
      expect(response.body.role).toBe('operator');
      // The new role applies to the tokens the user already holds.
      expect((await t.http.get('/api/v1/users').set(target.auth)).status).toBe(200);
      expect(await auditFor(target.id)).toEqual([
        {
          actor_id: admin.id,
          action: 'user.role_changed',
          details: { from: 'user', to: 'operator' },
          ip: expect.stringContaining('127.0.0.1'),
        },
      ]);
    });

    it('answers 403 to operators and changes nothing', async () => {
      const target = await createAccount(t);
      expectProblem(
        await t.http
          .patch(`/api/v1/users/${target.id}/role`)
          .set(operator.auth)
          .send({ role: 'admin' }),
        403,
      );
      expect((await t.http.get(`/api/v1/users/${target.id}`).set(admin.auth)).body.role).toBe(
        'user',
      );
      expect(await auditFor(target.id)).toEqual([]);
    });

    it('answers 400 for an unknown role and 404 for an unknown user', async () => {
      expectProblem(
        await t.http.patch(`/api/v1/users/${user.id}/role`).set(admin.auth).send({ role: 'root' }),
        400,
      );
      expectProblem(
        await t.http
          .patch(`/api/v1/users/${randomUUID()}/role`)
          .set(admin.auth)
          .send({ role: 'user' }),
        404,
      );
    });
  });

  describe('deactivation', () => {
    it('kills live access tokens, refresh tokens and API keys at once', async () => {
      const target = await createAccount(t);
      const { key } = (await t.http.post('/api/v1/api-keys').set(target.auth).send({ name: 'k' }))
        .body;
      const response = await t.http.post(`/api/v1/users/${target.id}/deactivate`).set(admin.auth);
      expect(response.status).toBe(200);
      expect(response.body.status).toBe('deactivated');

      expectProblem(await t.http.get('/api/v1/auth/me').set(target.auth), 403);
      expectProblem(await t.http.get('/api/v1/auth/me').set('X-API-Key', key), 403);
      expectProblem(
        await t.http.post('/api/v1/auth/refresh').send({ refreshToken: target.refreshToken }),
        401,
      );
      expect((await auditFor(target.id)).map((e: { action: string }) => e.action)).toEqual([
        'user.deactivated',
      ]);
    });

    it('leaves old sessions revoked after activation; new logins work', async () => {
      const target = await createAccount(t);
      await t.http.post(`/api/v1/users/${target.id}/deactivate`).set(admin.auth);
      const activated = await t.http.post(`/api/v1/users/${target.id}/activate`).set(admin.auth);
      expect(activated.body.status).toBe('active');
      expectProblem(
        await t.http.post('/api/v1/auth/refresh').send({ refreshToken: target.refreshToken }),
        401,
      );
      const login = await t.http
        .post('/api/v1/auth/login')
        .send({ email: target.email, password: target.password });
      expect(login.status).toBe(200);
      expect((await auditFor(target.id)).map((e: { action: string }) => e.action).sort()).toEqual([
        'user.activated',
        'user.deactivated',
      ]);
    });

    it('is for admins only', async () => {
      expectProblem(
        await t.http.post(`/api/v1/users/${user.id}/deactivate`).set(operator.auth),
        403,
      );
      expectProblem(await t.http.post(`/api/v1/users/${user.id}/activate`).set(user.auth), 403);
      expectProblem(
        await t.http.post(`/api/v1/users/${randomUUID()}/deactivate`).set(admin.auth),
        404,
      );
    });
  });

  describe('DELETE /users/:id', () => {
    it('soft-deletes: the account disappears, its tokens stop, the row stays, it is audited', async () => {
      const target = await createAccount(t);
      expect((await t.http.delete(`/api/v1/users/${target.id}`).set(admin.auth)).status).toBe(204);
      expectProblem(await t.http.get('/api/v1/auth/me').set(target.auth), 401);
      expectProblem(await t.http.get(`/api/v1/users/${target.id}`).set(admin.auth), 404);
      const [row] = await t.app
        .get(DataSource)
        .query('SELECT deleted_at FROM users WHERE id = $1', [target.id]);
      expect(row.deleted_at).not.toBeNull();
      expect((await auditFor(target.id))[0]).toMatchObject({ action: 'user.deleted' });
      // The address is free again.
      const again = await t.http
        .post('/api/v1/auth/register')
        .send({ email: target.email, password: target.password });
      expect(again.status).toBe(201);
    });

    it('answers 403 to operators, 404 for an unknown user', async () => {
      expectProblem(await t.http.delete(`/api/v1/users/${user.id}`).set(operator.auth), 403);
      expectProblem(await t.http.delete(`/api/v1/users/${randomUUID()}`).set(admin.auth), 404);
    });
  });

  describe('GET /admin/audit-log', () => {
    it('answers admins, filtered by actor and action, newest first', async () => {
      const target = await createAccount(t);
      await t.http.post(`/api/v1/users/${target.id}/deactivate`).set(admin.auth);
      await t.http.post(`/api/v1/users/${target.id}/activate`).set(admin.auth);
      const response = await t.http
        .get(`/api/v1/admin/audit-log?actorId=${admin.id}&action=user.activated`)
        .set(admin.auth);
      expect(response.status).toBe(200);
      expect(response.body.data[0]).toMatchObject({
        actorId: admin.id,
        action: 'user.activated',
        targetType: 'user',
        targetId: target.id,
        createdAt: expect.any(String),
      });
      expect(
        response.body.data.every((e: { action: string }) => e.action === 'user.activated'),
      ).toBe(true);
    });

    it('answers 403 to operators and 400 to a bad actorId', async () => {
      expectProblem(await t.http.get('/api/v1/admin/audit-log').set(operator.auth), 403);
      expectProblem(await t.http.get('/api/v1/admin/audit-log?actorId=x').set(admin.auth), 400);
    });
  });
});
