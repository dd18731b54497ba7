import { DataSource } from 'typeorm';
import { createAccount, TestAccount } from './support/accounts';
import { PgliteDatabase, startPgliteDatabase } from './support/pglite-server';
import { startTestApp, TestApp } from './support/test-app';

/**
 * The pgvector path, on PostgreSQL with the `vector` extension: PGlite with pgvector, served to
 * Kiln's ordinary pg driver over a socket. The exact path's suite (embeddings.e2e-spec.ts) runs on
 * the development PostgreSQL, which has no pgvector.
 */

const BOOKS = [
  {
    id: 'kiln',
    text: 'A kiln fires clay pots at very high temperatures until the pottery hardens.',
    metadata: { topic: 'craft', draft: false },
  },
  {
    id: 'bread',
    text: 'Sourdough bread rises slowly because wild yeast ferments the dough overnight.',
    metadata: { topic: 'food', draft: false },
  },
  {
    id: 'orbit',
    text: 'Satellites stay in orbit because gravity bends their path around the planet.',
    metadata: { topic: 'space', draft: true },
  },
  {
    id: 'tides',
    text: 'Ocean tides follow the pull of the moon on the seas of the earth.',
    metadata: { topic: 'space', draft: false },
  },
];

const DIMENSION = 384;
// PGlite (WebAssembly) takes 10 ms or more to add a chunk to an HNSW index of 384 here.
const LOAD_TIMEOUT_MS = 180_000;

type Hit = { documentId: string; text: string; score: number };

describe('embeddings on pgvector', () => {
  let database: PgliteDatabase;
  let t: TestApp;
  let owner: TestAccount;
  let collectionId: string;

  beforeAll(async () => {
    database = await startPgliteDatabase();
    t = await startTestApp(database.env);
    owner = await createAccount(t);
    collectionId = await createCollection('Library');
    await upsert(collectionId, BOOKS);
  });
  afterAll(async () => {
    await t?.close();
    await database?.close();
  });

  const createCollection = async (name: string): Promise<string> => {
    const response = await t.http
      .post('/api/v1/embeddings/collections')
      .set(owner.auth)
      .send({ name });
    expect(response.status).toBe(201);
    return response.body.id;
  };
  const upsert = async (id: string, documents: object[]) => {
    const response = await t.http
      .post(`/api/v1/embeddings/collections/${id}/documents`)
      .set(owner.auth)
      .send({ documents });
    expect(response.status).toBe(201);
  };
  const search = async (id: string, body: object): Promise<Hit[]> => {
    const response = await t.http
      .post(`/api/v1/embeddings/collections/${id}/search`)
      .set(owner.auth)
      .send(body);
    expect(response.status).toBe(200);
    return response.body.data;
  };
  const embed = async (text: string): Promise<number[]> =>
    (await t.http.post('/api/v1/embeddings').set(owner.auth).send({ input: text })).body.data[0]
      .embedding;
  const ids = (hits: Hit[]) => hits.map((hit) => hit.documentId);

  it('readiness names the pgvector path and the dimensions it indexes', async () => {
    const response = await t.http.get('/api/v1/health/ready');
    expect(response.status).toBe(200);
    expect(response.body.details.vectors).toEqual({
      status: 'up',
      path: 'pgvector',
      pgvector: expect.stringMatching(/^\d+\.\d+/),
      hnswDimensions: expect.arrayContaining([DIMENSION]),
    });
  });

  it('finds the closest document first, by text', async () => {
    const hits = await search(collectionId, { query: 'how does a kiln harden clay pottery' });
    expect(hits).toHaveLength(4);
    expect(hits[0]).toMatchObject({ documentId: 'kiln', metadata: { topic: 'craft' } });
    const scores = hits.map((hit) => hit.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('searches by vector with a filter, scoring each chunk by its cosine similarity', async () => {
    const query = await embed('yeast and sourdough dough');
    const hits = await search(collectionId, {
      embedding: query,
      topK: 10,
      filter: { draft: false },
    });
    expect(ids(hits)).toHaveLength(3);
    expect(ids(hits)[0]).toBe('bread');
    expect(ids(hits)).not.toContain('orbit');
    for (const hit of hits) expect(hit.score).toBeCloseTo(dot(query, await embed(hit.text)), 5);
    expect(
      ids(await search(collectionId, { embedding: query, filter: { topic: 'space' } })),
    ).toEqual(expect.arrayContaining(['orbit', 'tides']));
  });

  it('replaces a document sent again under its id, and forgets deleted ones', async () => {
    const id = await createCollection('Changing');
    await upsert(id, BOOKS);
    await upsert(id, [
      { id: 'orbit', text: 'Volcanoes pour molten lava from deep under the ground.', metadata: {} },
    ]);
    const lava = await search(id, { query: 'molten lava from volcanoes', topK: 4 });
    expect(lava[0]).toMatchObject({ documentId: 'orbit', text: expect.stringContaining('lava') });
    expect(lava.map((hit) => hit.text).join(' ')).not.toContain('Satellites');

    const removed = await t.http
      .delete(`/api/v1/embeddings/collections/${id}/documents/orbit`)
      .set(owner.auth);
    expect(removed.status).toBe(204);
    const byFilter = await t.http
      .post(`/api/v1/embeddings/collections/${id}/documents/delete`)
      .set(owner.auth)
      .send({ filter: { topic: 'space' } });
    expect(byFilter.body).toEqual({ deleted: 1 });
    expect(ids(await search(id, { query: 'molten lava from volcanoes' })).sort()).toEqual([
      'bread',
      'kiln',
    ]);
  });

  describe('a collection large enough for its HNSW index', () => {
    // Clusters of vectors around random centres: a centre's 10 nearest chunks are its own
    // cluster's, far apart from any other, so the exact answer is known without a scan. Below
    // some 3,000 chunks of 384 the planner rightly prefers an exact scan to the index walk.
    const CLUSTERS = 400;
    const PER_CLUSTER = 10;
    let clustersId: string;
    let centres: number[][];

    beforeAll(async () => {
      clustersId = await createCollection('Clusters');
      const random = seededRandom(42);
      centres = Array.from({ length: CLUSTERS }, () => randomUnitVector(random));
      const documents = centres.flatMap((centre, cluster) =>
        Array.from({ length: PER_CLUSTER }, (_, member) => ({
          id: `${cluster}-${member}`,
          text: `member ${member} of cluster ${cluster}`,
          embedding: nearby(centre, random),
          metadata: { cluster, even: member % 2 === 0 },
        })),
      );
      for (let i = 0; i < documents.length; i += 100) {
        await upsert(clustersId, documents.slice(i, i + 100));
      }
      // PostgreSQL's autovacuum would do this; PGlite has none. The planner needs the table's
      // statistics to tell a large collection (walk the index) from a small one (scan it).
      await t.app.get(DataSource).query('ANALYZE embedding_chunks');
    }, LOAD_TIMEOUT_MS);

    it('walks the index and finds the exact 10 nearest', async () => {
      const scansBefore = await hnswScans();
      const hits = await search(clustersId, { embedding: centres[7], topK: 10 });
      expect(ids(hits).sort()).toEqual(
        Array.from({ length: PER_CLUSTER }, (_, member) => `7-${member}`).sort(),
      );
      expect(await hnswScans()).toBeGreaterThan(scansBefore);
    });

    it('fills a filtered page, however far the chunks that pass the filter are', async () => {
      const even = await search(clustersId, {
        embedding: centres[7],
        topK: 5,
        filter: { even: true },
      });
      expect(ids(even).sort()).toEqual(['7-0', '7-2', '7-4', '7-6', '7-8']);
      const far = await search(clustersId, {
        embedding: centres[7],
        topK: 10,
        filter: { cluster: 123 },
      });
      expect(far).toHaveLength(PER_CLUSTER);
      expect(far.every((hit) => hit.documentId.startsWith('123-'))).toBe(true);
    });

    async function hnswScans(): Promise<number> {
      const db = t.app.get(DataSource);
      await db.query('SELECT pg_stat_force_next_flush()');
      const [{ scans }] = await db.query(
        `SELECT idx_scan::int AS scans FROM pg_stat_user_indexes WHERE indexrelname = $1`,
        [`IDX_embedding_chunks_hnsw_${DIMENSION}`],
      );
      return scans;
    }
  });
});

function dot(a: number[], b: number[]): number {
  return a.reduce((sum, value, i) => sum + value * b[i], 0);
}

/** mulberry32: the same numbers on every run. */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let x = Math.imul(state ^ (state >>> 15), 1 | state);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

function unit(values: number[]): number[] {
  const norm = Math.hypot(...values);
  return values.map((value) => value / norm);
}

function randomUnitVector(random: () => number): number[] {
  return unit(Array.from({ length: DIMENSION }, () => random() - 0.5));
}

/** A vector about 0.99 cosine from `centre`, rounded to keep request bodies small. */
function nearby(centre: number[], random: () => number): number[] {
  const noise = randomUnitVector(random);
  return unit(centre.map((value, i) => value + 0.15 * noise[i])).map(
    (value) => Math.round(value * 1e6) / 1e6,
  );
}
