import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deleteRedisKeys, removeDirectory } from '../lib/cleanup.mjs';
import { planKiln, startKiln } from '../lib/kiln.mjs';
import { startPglite } from '../lib/pglite.mjs';
import { stopChild } from '../lib/processes.mjs';
import { mean, percentile } from '../lib/stats.mjs';
import {
  ingestThroughApi,
  ingestion,
  newCollection,
  rowOf,
  searchThroughApi,
  vectorPath,
} from '../lib/vector-collections.mjs';
import {
  BENCH_DIMENSION,
  exactTopK,
  queryVectors,
  recall,
  sphereVectors,
  storedVectors,
  vectorPgArray,
  vectorRow,
} from '../lib/vectors.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CHUNKS = 10_000;
const QUERIES = 100;
const TOP_K = 10;
const GOAL = 0.95;
// Kiln's own ef_search is in src/modules/embeddings/vectors/pgvector-search.ts; these are tried
// beside it, with the same query straight on the database.
const EF_SEARCH_SWEEP = [10, 20, 40, 100, 200];
const INDEX = `IDX_embedding_chunks_hnsw_${BENCH_DIMENSION}`;
const VECTOR = `vector(${BENCH_DIMENSION})`;
const SQL_BATCH = 1000;

const percent = (share) => `${(share * 100).toFixed(1)} %`;

/** Index scans of the HNSW index so far (statistics flushed first). */
async function hnswScans(db) {
  await db.query('SELECT pg_stat_force_next_flush()');
  const { rows } = await db.query(
    'SELECT idx_scan::int AS scans FROM pg_stat_user_indexes WHERE indexrelname = $1',
    [INDEX],
  );
  return rows[0].scans;
}

function exactAnswers(vectors, queries) {
  return Array.from({ length: QUERIES }, (_, q) =>
    exactTopK(vectors, CHUNKS, vectorRow(queries, q), TOP_K),
  );
}

/**
 * Mean recall at each ef_search of the sweep, with Kiln's iterative scan; `topRows(q)` runs query
 * q straight on PGlite, in the bench process, while Kiln is idle.
 */
async function sweepEfSearch(db, exact, topRows) {
  const results = [];
  for (const efSearch of EF_SEARCH_SWEEP) {
    await db.exec(`SET hnsw.ef_search = ${efSearch}; SET hnsw.iterative_scan = relaxed_order`);
    const recalls = [];
    for (let q = 0; q < QUERIES; q++) recalls.push(recall(await topRows(q), exact[q]));
    results.push(`${efSearch}: ${percent(mean(recalls))}`);
  }
  await db.exec('RESET hnsw.ef_search; RESET hnsw.iterative_scan');
  return results.join(', ');
}

/** Kiln's search query, ranked as PgvectorSearch ranks (the ORDER BY its index serves). */
function kilnQuery(db, collectionId, queries) {
  return async (q) => {
    const { rows } = await db.query(
      `SELECT d.external_id FROM (
         SELECT c.document_id FROM embedding_chunks c
          WHERE c.collection_id = $1 AND array_length(c.embedding, 1) = ${BENCH_DIMENSION}
          ORDER BY c.embedding::${VECTOR} <=> $2::real[]::${VECTOR} LIMIT ${TOP_K}) best
       JOIN embedding_documents d ON d.id = best.document_id`,
      [collectionId, vectorPgArray(queries, q)],
    );
    return rows.map((row) => rowOf(row.external_id));
  };
}

/**
 * The hardest case beside it: vectors spread evenly over the sphere, in a table of their own with
 * the same kind of index (built after the load), swept the same way.
 */
async function sphereSweep(db) {
  const vectors = sphereVectors(CHUNKS, BENCH_DIMENSION, 4);
  const queries = sphereVectors(QUERIES, BENCH_DIMENSION, 5);
  await db.exec('CREATE TABLE bench_sphere (id int PRIMARY KEY, embedding real[] NOT NULL)');
  try {
    for (let start = 0; start < CHUNKS; start += SQL_BATCH) {
      const rows = Array.from({ length: SQL_BATCH }, (_, i) => start + i);
      await db.query(
        'INSERT INTO bench_sphere SELECT id, e::real[] FROM unnest($1::int[], $2::text[]) AS t(id, e)',
        [rows, rows.map((row) => vectorPgArray(vectors, row))],
      );
    }
    await db.exec(
      `CREATE INDEX ON bench_sphere USING hnsw ((embedding::${VECTOR}) vector_cosine_ops)`,
    );
    return await sweepEfSearch(db, exactAnswers(vectors, queries), async (q) => {
      const { rows } = await db.query(
        `SELECT id FROM bench_sphere ORDER BY embedding::${VECTOR} <=> $1::real[]::${VECTOR} LIMIT ${TOP_K}`,
        [vectorPgArray(queries, q)],
      );
      return rows.map((row) => row.id);
    });
  } finally {
    await db.exec('DROP TABLE bench_sphere');
  }
}

/**
 * The pgvector path, on PostgreSQL with the vector extension: PGlite (PostgreSQL 18 compiled to
 * WebAssembly) with pgvector, in the bench process, and a second Kiln on it (pool of one
 * connection), which migrates it at start: the extension and its HNSW indexes. 10,000 chunks of
 * 384 go in through the API; 100 searches through the API are compared with the exact top 10 of
 * a scan in this process. PGlite's speed says nothing about PostgreSQL's: only recall counts here.
 */
export default {
  name: 'vector-recall',
  description: `recall@${TOP_K} of HNSW search on pgvector (PGlite), ${CHUNKS / 1000}k chunks of ${BENCH_DIMENSION}, against the exact answer`,
  async run(context) {
    context.progress('  starting PGlite with pgvector, and a Kiln on it');
    const pglite = await startPglite({ maxConnections: 3 });
    const kiln = await planKiln();
    kiln.databaseUrl = pglite.url;
    kiln.databasePoolSize = '1';
    try {
      await startKiln(kiln, {
        rootDir: ROOT,
        logFile: join(ROOT, 'bench', 'results', 'kiln-pgvector.log'),
      });
      const path = await vectorPath(kiln.url);
      if (path.path !== 'pgvector' || !path.hnswDimensions.includes(BENCH_DIMENSION)) {
        throw new Error(`Kiln on PGlite reports ${JSON.stringify(path)}`);
      }
      const collection = await newCollection(kiln.url, {
        label: 'recall',
        dimension: BENCH_DIMENSION,
      });
      const vectors = storedVectors(CHUNKS);
      const queries = queryVectors(QUERIES);
      context.progress(`  ingesting ${CHUNKS} chunks through the API (HNSW in WebAssembly: slow)`);
      const ingestSec = await ingestThroughApi(kiln.url, collection, vectors, 0, CHUNKS);
      // PGlite runs no autovacuum; the planner needs statistics to choose the index.
      await pglite.db.exec('ANALYZE embedding_chunks');
      const exact = exactAnswers(vectors, queries);

      context.progress(`  ${QUERIES} searches through Kiln`);
      const scansBefore = await hnswScans(pglite.db);
      const timesMs = [];
      const recalls = [];
      for (let q = 0; q < QUERIES; q++) {
        const query = Array.from(vectorRow(queries, q));
        const { rows, elapsedMs } = await searchThroughApi(kiln.url, collection, query, TOP_K);
        timesMs.push(elapsedMs);
        recalls.push(recall(rows, exact[q]));
      }
      const walks = (await hnswScans(pglite.db)) - scansBefore;

      context.progress(
        '  the same query straight on PGlite at other ef_search, and sphere vectors',
      );
      const sweep = await sweepEfSearch(
        pglite.db,
        exact,
        kilnQuery(pglite.db, collection.collectionId, queries),
      );
      const sphere = await sphereSweep(pglite.db);

      const exactRow = { value: 100, unit: '% recall@10' };
      return [
        context.row(
          'kiln-hnsw',
          {
            value: mean(recalls) * 100,
            unit: '% recall@10',
            latencyP50Ms: percentile(timesMs, 50),
            latencyP99Ms: percentile(timesMs, 99),
            totalRequests: QUERIES,
          },
          exactRow,
          {
            goal: GOAL,
            note: [
              `${QUERIES} searches of top ${TOP_K} through Kiln over ${CHUNKS} embedding-like chunks; ` +
                `${walks} walked ${INDEX} (pgvector ${path.pgvector}; m 16, ef_construction 64, ` +
                `pgvector's defaults); the worst search found ${percent(Math.min(...recalls))}; ` +
                `ms are PGlite's (WebAssembly), not PostgreSQL's`,
              `recall by hnsw.ef_search, the same query straight on PGlite: ${sweep}`,
              `the hardest case, ${CHUNKS} vectors spread evenly over the sphere, same index settings: ${sphere}`,
              `ingestion on PGlite: ${CHUNKS} chunks in ${ingestSec.toFixed(0)} s ` +
                `(${(CHUNKS / ingestSec).toFixed(0)} chunks/s, ${ingestion.batch} a request, HNSW index kept up to date)`,
            ],
          },
        ),
        context.row('exact', exactRow, exactRow, {
          computed: true,
          note: `top ${TOP_K} by dot product over a Float32Array of the same vectors in the bench process`,
        }),
      ];
    } finally {
      if (kiln.child) await stopChild(kiln.child);
      await pglite.stop();
      await deleteRedisKeys(kiln.redisPrefix, kiln.redisUrl);
      await removeDirectory(kiln.storageDir);
    }
  },
};
