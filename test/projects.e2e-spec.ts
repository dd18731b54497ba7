import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { UserRole } from '../src/common/auth/role';
import { createAccount, TestAccount } from './support/accounts';
import { expectProblem } from './support/problem';
import { startTestApp, TestApp } from './support/test-app';

describe('projects', () => {
  let t: TestApp;
  let owner: TestAccount;
  let other: TestAccount;
  let operator: TestAccount;
  let admin: TestAccount;

  beforeAll(async () => {
    t = await startTestApp();
    [owner, other, operator, admin] = await Promise.all([
      createAccount(t),
      createAccount(t),
      createAccount(t, UserRole.Operator),
      createAccount(t, UserRole.Admin),
    ]);
  });
  afterAll(() => t.close());

  const create = (account: TestAccount, body: object) =>
    t.http.post('/api/v1/projects').set(account.auth).send(body);

  it('creates a project owned by the caller', async () => {
    const response = await create(owner, { name: 'Trailer', description: 'Q3 launch' });
    expect(response.status).toBe(201);
    expect(response.body).toEqual({
      id: expect.any(String),
      name: 'Trailer',
      description: 'Q3 launch',
      status: 'active',
      ownerId: owner.id,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
  });

  it('answers 400 for a missing or too long name and for unknown fields, creating nothing', async () => {
    const account = await createAccount(t);
    const body = expectProblem(await create(account, { name: '', ownerId: other.id }), 400);
    const fields = new Set((body.errors as { field: string }[]).map((e) => e.field));
    expect([...fields].sort()).toEqual(['name', 'ownerId']);
    expectProblem(await create(account, { name: 'x'.repeat(201) }), 400);
    const [{ count }] = await t.app
      .get(DataSource)
      .query('SELECT count(*)::int AS count FROM projects WHERE owner_id = $1', [account.id]);
    expect(count).toBe(0);
  });

  describe('GET /projects', () => {
    let mine: TestAccount;
    beforeAll(async () => {
      mine = await createAccount(t);
      for (const name of ['Beta', 'alpha', 'Gamma']) await create(mine, { name });
      const gamma = (await t.http.get('/api/v1/projects?search=gamma').set(mine.auth)).body.data[0];
      await t.http
        .patch(`/api/v1/projects/${gamma.id}`)
        .set(mine.auth)
        .send({ status: 'archived' });
      await create(other, { name: 'Not mine' });
    });

    it('lists only the caller’s projects, newest first, paginated', async () => {
      const response = await t.http.get('/api/v1/projects?limit=2').set(mine.auth);
      expect(response.status).toBe(200);
      expect(response.body.data.map((p: { name: string }) => p.name)).toEqual(['Gamma', 'alpha']);
      expect(response.body.meta).toEqual({ page: 1, limit: 2, total: 3, totalPages: 2 });
    });

    it('searches, filters by status and sorts', async () => {
      const byName = await t.http.get('/api/v1/projects?sort=name').set(mine.auth);
      expect(byName.body.data.map((p: { name: string }) => p.name)).toEqual([
        'alpha',
        'Beta',
        'Gamma',
      ]);
      const archived = await t.http.get('/api/v1/projects?status=archived').set(mine.auth);
      expect(archived.body.data.map((p: { name: string }) => p.name)).toEqual(['Gamma']);
      const search = await t.http.get('/api/v1/projects?search=ALP').set(mine.auth);
      expect(search.body.data.map((p: { name: string }) => p.name)).toEqual(['alpha']);
    });

    it('lets operators and admins list another owner’s projects, and ignores ownerId from users', async () => {
      const staff = await t.http.get(`/api/v1/projects?ownerId=${mine.id}`).set(operator.auth);
      expect(staff.body.meta.total).toBe(3);
      const nosy = await t.http.get(`/api/v1/projects?ownerId=${mine.id}`).set(other.auth);
      expect(nosy.body.data.every((p: { ownerId: string }) => p.ownerId === other.id)).toBe(true);
      const viaUsers = await t.http.get(`/api/v1/users/${mine.id}/projects`).set(admin.auth);
      expect(viaUsers.body.meta.total).toBe(3);
    });

    it('answers 400 for an unknown sort or status', async () => {
      expectProblem(await t.http.get('/api/v1/projects?sort=owner').set(mine.auth), 400);
      expectProblem(await t.http.get('/api/v1/projects?status=gone').set(mine.auth), 400);
    });

    it('answers 404 for the projects of an unknown user', async () => {
      expectProblem(
        await t.http.get(`/api/v1/users/${randomUUID()}/projects`).set(admin.auth),
        404,
      );
    });
  });

  describe('one project', () => {
    it('is readable by its owner, operators and admins, and 403 for anyone else', async () => {
      const { id } = (await create(owner, { name: 'Readable' })).body;
      for (const reader of [owner, operator, admin]) {
        expect((await t.http.get(`/api/v1/projects/${id}`).set(reader.auth)).status).toBe(200);
      }
      expectProblem(await t.http.get(`/api/v1/projects/${id}`).set(other.auth), 403);
      expectProblem(await t.http.get(`/api/v1/projects/${randomUUID()}`).set(owner.auth), 404);
      expectProblem(await t.http.get('/api/v1/projects/nope').set(owner.auth), 400);
    });

    it('is changed by its owner or an admin; operators and others get 403 and change nothing', async () => {
      const { id } = (await create(owner, { name: 'Before' })).body;
      const renamed = await t.http
        .patch(`/api/v1/projects/${id}`)
        .set(owner.auth)
        .send({ name: 'After', description: null });
      expect(renamed.body).toMatchObject({ name: 'After', description: null });
      expectProblem(
        await t.http.patch(`/api/v1/projects/${id}`).set(operator.auth).send({ name: 'X' }),
        403,
      );
      expectProblem(
        await t.http.patch(`/api/v1/projects/${id}`).set(other.auth).send({ name: 'X' }),
        403,
      );
      expectProblem(
        await t.http.patch(`/api/v1/projects/${id}`).set(owner.auth).send({ status: 'deleted' }),
        400,
      );
      const archived = await t.http
        .patch(`/api/v1/projects/${id}`)
        .set(admin.auth)
        .send({ status: 'archived' });
      expect(archived.body).toMatchObject({ name: 'After', status: 'archived' });
    });

    it('is soft-deleted: 204, then 404, while the row stays', async () => {
      const { id } = (await create(owner, { name: 'Doomed' })).body;
      expectProblem(await t.http.delete(`/api/v1/projects/${id}`).set(other.auth), 403);
      expect((await t.http.delete(`/api/v1/projects/${id}`).set(owner.auth)).status).toBe(204);
      expectProblem(await t.http.get(`/api/v1/projects/${id}`).set(owner.auth), 404);
      expectProblem(await t.http.delete(`/api/v1/projects/${id}`).set(owner.auth), 404);
      const [row] = await t.app
        .get(DataSource)
        .query('SELECT deleted_at FROM projects WHERE id = $1', [id]);
      expect(row.deleted_at).not.toBeNull();
    });

    it('has stats with every job status, media and conversations', async () => {
      const { id } = (await create(owner, { name: 'Counted' })).body;
      const response = await t.http.get(`/api/v1/projects/${id}/stats`).set(owner.auth);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        projectId: id,
        jobs: {
          byStatus: { queued: 0, processing: 0, completed: 0, failed: 0, cancelled: 0 },
          total: 0,
        },
        media: { count: 0, bytes: 0 },
        conversations: { count: 0 },
      });
      expectProblem(await t.http.get(`/api/v1/projects/${id}/stats`).set(other.auth), 403);
    });
  });
});
