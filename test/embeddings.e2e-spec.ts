import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { UserRole } from '../src/common/auth/role';
import { createAccount, TestAccount } from './support/accounts';
import { expectProblem } from './support/problem';
import { startTestApp, TestApp } from './support/test-app';

const BOOKS = [
  {
    id: 'kiln',
    text: 'A kiln fires clay pots at very high temperatures until the pottery hardens.',
    metadata: { topic: 'craft', year: 2019, rating: 4.5, draft: false },
  },
  {
    id: 'bread',
    text: 'Sourdough bread rises slowly because wild yeast ferments the dough overnight.',
    metadata: { topic: 'food', year: 2021, rating: 4.8, draft: false },
  },
  {
    id: 'orbit',
    text: 'Satellites stay in orbit because gravity bends their path around the planet.',
    metadata: { topic: 'space', year: 2023, rating: 3.9, draft: true },
  },
  {
    id: 'tides',
    text: 'Ocean tides follow the pull of the moon on the seas of the earth.',
    metadata: { topic: 'space', year: 2020, rating: 4.1, draft: false },
  },
];

describe('embeddings', () => {
  let t: TestApp;
  let owner: TestAccount;
  let other: TestAccount;
  let operator: TestAccount;
  let collectionId: string;

  beforeAll(async () => {
    t = await startTestApp();
    [owner, other, operator] = await Promise.all([
      createAccount(t),
      createAccount(t),
      createAccount(t, UserRole.Operator),
    ]);
    const created = await t.http
      .post('/api/v1/embeddings/collections')
      .set(owner.auth)
      .send({ name: 'Library', chunkSize: 200, chunkOverlap: 40 });
    collectionId = created.body.id;
    const stored = await t.http
      .post(`/api/v1/embeddings/collections/${collectionId}/documents`)
      .set(owner.auth)
      .send({ documents: BOOKS });
    expect(stored.status).toBe(201);
  });
  afterAll(() => t.close());

  const url = (path = '') => `/api/v1/embeddings/collections/${collectionId}${path}`;
  const search = (account: TestAccount, body: object) =>
    t.http.post(url('/search')).set(account.auth).send(body);

  describe('POST /embeddings', () => {
    it('embeds one text or several with the local model, unit length', async () => {
      const one = await t.http
        .post('/api/v1/embeddings')
        .set(owner.auth)
        .send({ input: 'hello kiln' });
      expect(one.status).toBe(200);
      expect(one.body).toMatchObject({ model: 'kiln-hash-384', dimension: 384 });
      expect(one.body.data).toHaveLength(1);
      const norm = Math.sqrt(
        one.body.data[0].embedding.reduce((s: number, v: number) => s + v * v, 0),
      );
      expect(norm).toBeCloseTo(1, 5);
      const many = await t.http
        .post('/api/v1/embeddings')
        .set(owner.auth)
        .send({ input: ['a cat', 'a dog'] });
      expect(many.body.data.map((d: { index: number }) => d.index)).toEqual([0, 1]);
    });

    it('answers 400 for no input, empty strings or too many, and 401 anonymously', async () => {
      expectProblem(await t.http.post('/api/v1/embeddings').set(owner.auth).send({}), 400);
      expectProblem(
        await t.http
          .post('/api/v1/embeddings')
          .set(owner.auth)
          .send({ input: [''] }),
        400,
      );
      expectProblem(
        await t.http
          .post('/api/v1/embeddings')
          .set(owner.auth)
          .send({ input: Array(257).fill('x') }),
        400,
      );
      expectProblem(await t.http.post('/api/v1/embeddings').send({ input: 'x' }), 401);
    });
  });

  describe('collections', () => {
    it('records the model, dimension and chunking, and counts documents', async () => {
      const response = await t.http.get(url()).set(owner.auth);
      expect(response.body).toMatchObject({
        name: 'Library',
        model: 'kiln-hash-384',
        dimension: 384,
        chunkSize: 200,
        chunkOverlap: 40,
        documentCount: 4,
        ownerId: owner.id,
      });
    });

    it('answers 400 for an overlap not below the chunk size, or metadata that is not flat', async () => {
      const bad = await t.http
        .post('/api/v1/embeddings/collections')
        .set(owner.auth)
        .send({ name: 'x', chunkSize: 200, chunkOverlap: 200, metadata: { nested: { a: 1 } } });
      const fields = (expectProblem(bad, 400).errors as { field: string }[])
        .map((e) => e.field)
        .sort();
      expect(fields).toEqual(['chunkOverlap', 'metadata.nested']);
    });

    it('is read by its owner and operators, 403 for others, 404 when unknown', async () => {
      expect((await t.http.get(url()).set(operator.auth)).status).toBe(200);
      expectProblem(await t.http.get(url()).set(other.auth), 403);
      expectProblem(
        await t.http.get(`/api/v1/embeddings/collections/${randomUUID()}`).set(owner.auth),
        404,
      );
      const mine = await t.http.get('/api/v1/embeddings/collections').set(owner.auth);
      expect(mine.body.data.map((c: { id: string }) => c.id)).toContain(collectionId);
      const theirs = await t.http.get('/api/v1/embeddings/collections').set(other.auth);
      expect(theirs.body.data.map((c: { id: string }) => c.id)).not.toContain(collectionId);
    });

    it('is deleted with its documents; 403 for others', async () => {
      const { id } = (
        await t.http.post('/api/v1/embeddings/collections').set(owner.auth).send({ name: 'Doomed' })
      ).body;
      await t.http
        .post(`/api/v1/embeddings/collections/${id}/documents`)
        .set(owner.auth)
        .send({ documents: [{ text: 'x y z' }] });
      expectProblem(
        await t.http.delete(`/api/v1/embeddings/collections/${id}`).set(other.auth),
        403,
      );
      expect(
        (await t.http.delete(`/api/v1/embeddings/collections/${id}`).set(owner.auth)).status,
      ).toBe(204);
      const [{ count }] = await t.app
        .get(DataSource)
        .query('SELECT count(*)::int AS count FROM embedding_chunks WHERE collection_id = $1', [
          id,
        ]);
      expect(count).toBe(0);
    });
  });

  describe('documents', () => {
    it('splits long text into chunks and replaces a document sent again under its id', async () => {
      const long = Array.from(
        { length: 20 },
        (_, i) => `Sentence number ${i} talks about glazes and firing.`,
      ).join(' ');
      const first = await t.http
        .post(url('/documents'))
        .set(owner.auth)
        .send({ documents: [{ id: 'long', text: long }] });
      expect(first.status).toBe(201);
      expect(first.body).toEqual({ data: [{ id: 'long', chunkCount: expect.any(Number) }] });
      expect(first.body.data[0].chunkCount).toBeGreaterThan(3);
      const again = await t.http
        .post(url('/documents'))
        .set(owner.auth)
        .send({ documents: [{ id: 'long', text: 'Short now.' }, { text: 'No id given.' }] });
      expect(again.body).toEqual({
        data: [
          { id: 'long', chunkCount: 1 },
          { id: expect.stringMatching(/^[0-9a-f-]{36}$/), chunkCount: 1 },
        ],
      });
      expect(
        (await t.http.delete(url(`/documents/${again.body.data[1].id}`)).set(owner.auth)).status,
      ).toBe(204);
      const [{ count }] = await t.app.get(DataSource).query(
        `SELECT count(*)::int AS count FROM embedding_chunks c JOIN embedding_documents d ON d.id = c.document_id
          WHERE d.collection_id = $1 AND d.external_id = 'long'`,
        [collectionId],
      );
      expect(count).toBe(1);
      expect((await t.http.delete(url('/documents/long')).set(owner.auth)).status).toBe(204);
      expectProblem(await t.http.delete(url('/documents/long')).set(owner.auth), 404);
    });

    it('answers 400 for a vector of the wrong dimension, a repeated id and nested metadata, storing nothing', async () => {
      const response = await t.http
        .post(url('/documents'))
        .set(owner.auth)
        .send({
          documents: [
            { id: 'a', text: 'x', embedding: [1, 2, 3] },
            { id: 'a', text: 'y' },
            { id: 'b', text: 'z', metadata: { deep: { no: true } } },
          ],
        });
      const fields = (expectProblem(response, 400).errors as { field: string }[])
        .map((e) => e.field)
        .sort();
      expect(fields).toEqual([
        'documents.0.embedding',
        'documents.1.id',
        'documents.2.metadata.deep',
      ]);
      expect((await t.http.get(url()).set(owner.auth)).body.documentCount).toBe(4);
    });

    it('lists documents with their text and metadata; 403 for others', async () => {
      const list = await t.http.get(url('/documents?limit=10')).set(owner.auth);
      expect(list.body.meta.total).toBe(4);
      expect(list.body.data.map((d: { id: string }) => d.id)).toEqual([
        'bread',
        'kiln',
        'orbit',
        'tides',
      ]);
      expect(list.body.data[1]).toMatchObject({
        id: 'kiln',
        metadata: { topic: 'craft' },
        chunkCount: 1,
      });
      expectProblem(await t.http.get(url('/documents')).set(other.auth), 403);
      expectProblem(
        await t.http
          .post(url('/documents'))
          .set(other.auth)
          .send({ documents: [{ text: 'x' }] }),
        403,
      );
    });

    it('deletes by ids and by filter', async () => {
      await t.http
        .post(url('/documents'))
        .set(owner.auth)
        .send({
          documents: [
            { id: 'tmp-1', text: 'temporary one', metadata: { temp: true } },
            { id: 'tmp-2', text: 'temporary two', metadata: { temp: true } },
            { id: 'tmp-3', text: 'temporary three', metadata: { temp: true } },
          ],
        });
      const byId = await t.http
        .post(url('/documents/delete'))
        .set(owner.auth)
        .send({ ids: ['tmp-1'] });
      expect(byId.body).toEqual({ deleted: 1 });
      const byFilter = await t.http
        .post(url('/documents/delete'))
        .set(owner.auth)
        .send({ filter: { temp: true } });
      expect(byFilter.body).toEqual({ deleted: 2 });
      expectProblem(await t.http.post(url('/documents/delete')).set(owner.auth).send({}), 400);
      expect((await t.http.get(url()).set(owner.auth)).body.documentCount).toBe(4);
    });
  });

  it('readiness names the exact vector path, this PostgreSQL having no pgvector', async () => {
    const response = await t.http.get('/api/v1/health/ready');
    expect(response.body.details.vectors).toEqual({ status: 'up', path: 'exact' });
  });

  describe('search', () => {
    it('finds the closest document first, by text', async () => {
      const response = await search(owner, {
        query: 'how does a kiln harden clay pottery',
        topK: 2,
      });
      expect(response.status).toBe(200);
      expect(response.body.data[0]).toMatchObject({
        documentId: 'kiln',
        chunkId: expect.any(String),
        metadata: { topic: 'craft' },
      });
      expect(response.body.data[0].score).toBeGreaterThan(response.body.data[1].score);
    });

    it('searches by vector too', async () => {
      const [vector] = (
        await t.http
          .post('/api/v1/embeddings')
          .set(owner.auth)
          .send({ input: 'yeast and sourdough dough' })
      ).body.data;
      const response = await search(owner, { embedding: vector.embedding, topK: 1 });
      expect(response.body.data[0].documentId).toBe('bread');
    });

    it.each([
      [{ topic: 'space' }, ['orbit', 'tides']],
      [{ topic: { $eq: 'food' } }, ['bread']],
      [{ topic: { $ne: 'space' } }, ['bread', 'kiln']],
      [{ year: { $gt: 2020 } }, ['bread', 'orbit']],
      [{ year: { $gte: 2021 } }, ['bread', 'orbit']],
      [{ rating: { $lt: 4.1 } }, ['orbit']],
      [{ rating: { $lte: 4.1 } }, ['orbit', 'tides']],
      [{ topic: { $in: ['craft', 'food'] } }, ['bread', 'kiln']],
      [{ topic: { $nin: ['craft', 'food'] } }, ['orbit', 'tides']],
      [{ $and: [{ topic: 'space' }, { draft: false }] }, ['tides']],
      [{ $or: [{ year: { $lt: 2020 } }, { rating: { $gte: 4.8 } }] }, ['bread', 'kiln']],
    ])('filters with %j', async (filter, expected) => {
      const response = await search(owner, { query: 'anything at all', topK: 10, filter });
      expect(response.status).toBe(200);
      expect(response.body.data.map((h: { documentId: string }) => h.documentId).sort()).toEqual(
        expected,
      );
    });

    it('answers 400 for a bad filter, a wrong-sized vector, or both or neither of query and embedding', async () => {
      const bad = await search(owner, { query: 'x', filter: { year: { $between: [1, 2] } } });
      expect((expectProblem(bad, 400).errors as { field: string }[])[0].field).toContain('filter');
      expectProblem(await search(owner, { embedding: [0.1, 0.2] }), 400);
      expectProblem(await search(owner, { query: 'x', embedding: Array(384).fill(0.1) }), 400);
      expectProblem(await search(owner, { topK: 3 }), 400);
      expectProblem(await search(owner, { query: 'x', topK: 101 }), 400);
    });

    it('is allowed to the owner and operators, 403 to others, 404 for unknown collections', async () => {
      expect((await search(operator, { query: 'tides' })).status).toBe(200);
      expectProblem(await search(other, { query: 'tides' }), 403);
      expectProblem(
        await t.http
          .post(`/api/v1/embeddings/collections/${randomUUID()}/search`)
          .set(owner.auth)
          .send({ query: 'x' }),
        404,
      );
    });
  });
});
