import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { mean, percentile } from '../lib/stats.mjs';
import {
  documentId,
  ingestThroughApi,
  ingestion,
  newCollection,
  searchThroughApi,
  vectorPath,
} from '../lib/vector-collections.mjs';
import {
  BENCH_DIMENSION,
  exactTopK,
  queryVectors,
  recall,
  storedVectors,
  vectorPgArray,
  vectorRow,
} from '../lib/vectors.mjs';

const SMALL = 10_000;
const LARGE = 100_000;
const TOP_K = 10;
// Searches measured at each size (an exact scan of 100,000 takes a second or two), after a few
// unmeasured ones that bring the table into PostgreSQL's cache.
const QUERIES = { [SMALL]: 100, [LARGE]: 30 };
const WARMUP_QUERIES = 3;
// Documents per INSERT of the bulk load.
const SQL_BATCH = 1000;

const thousands = (count) => `${count / 1000}k`;
const fmt = (ms) => (ms < 10 ? ms.toFixed(1) : ms.toFixed(0));

/**
 * Searches `queries` one at a time through Kiln and by a scan of the same first `count` vectors in
 * a Float32Array in this process, alternately, so both see the same machine.
 */
async function compareSearches(context, collection, vectors, queries, count) {
  const kilnMs = [];
  const scanMs = [];
  const agreement = [];
  const total = QUERIES[count];
  for (let q = 0; q < WARMUP_QUERIES + total; q++) {
    const query = vectorRow(queries, q);
    const kiln = await searchThroughApi(context.kilnUrl, collection, Array.from(query), TOP_K);
    const startedAt = performance.now();
    const exact = exactTopK(vectors, count, query, TOP_K);
    const elapsedMs = performance.now() - startedAt;
    if (q < WARMUP_QUERIES) continue;
    kilnMs.push(kiln.elapsedMs);
    scanMs.push(elapsedMs);
    agreement.push(recall(kiln.rows, exact));
  }
  return { kilnMs, scanMs, agreement: mean(agreement) };
}

function latencySummary(timesMs) {
  return {
    value: 1000 / mean(timesMs),
    unit: 'searches/s',
    latencyP50Ms: percentile(timesMs, 50),
    latencyP99Ms: percentile(timesMs, 99),
    totalRequests: timesMs.length,
  };
}

/**
 * Rows [from, to) straight into Kiln's tables, as Kiln itself stores one-chunk documents: an
 * INSERT of SQL_BATCH documents, then one of their chunks, per transaction.
 */
async function bulkLoad(databaseUrl, collectionId, vectors, from, to) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const startedAt = performance.now();
    for (let start = from; start < to; start += SQL_BATCH) {
      const rows = Array.from({ length: Math.min(SQL_BATCH, to - start) }, (_, i) => start + i);
      const texts = rows.map((row) => `vector ${row}`);
      await client.query('BEGIN');
      const documents = await client.query(
        `INSERT INTO embedding_documents (collection_id, external_id, text, metadata, chunk_count)
         SELECT $1, id, text, '{}', 1 FROM unnest($2::text[], $3::text[]) AS d(id, text)
         RETURNING id, external_id`,
        [collectionId, rows.map(documentId), texts],
      );
      const byExternalId = new Map(documents.rows.map((d) => [d.external_id, d.id]));
      await client.query(
        `INSERT INTO embedding_chunks (collection_id, document_id, ordinal, text, metadata, embedding)
         SELECT $1, document_id, 0, text, '{}', embedding::real[]
           FROM unnest($2::uuid[], $3::text[], $4::text[]) AS c(document_id, text, embedding)`,
        [
          collectionId,
          rows.map((row) => byExternalId.get(documentId(row))),
          texts,
          rows.map((row) => vectorPgArray(vectors, row)),
        ],
      );
      await client.query('COMMIT');
    }
    const elapsedSec = (performance.now() - startedAt) / 1000;
    await client.query(
      `UPDATE embedding_collections SET document_count =
         (SELECT count(*) FROM embedding_documents WHERE collection_id = $1) WHERE id = $1`,
      [collectionId],
    );
    // Autovacuum would get to it; the large search should not depend on when.
    await client.query('ANALYZE embedding_chunks');
    return elapsedSec;
  } finally {
    await client.end();
  }
}

/**
 * Search latency over 10,000 and 100,000 chunks of 384 through POST .../search, against a top-10
 * scan of the same vectors in a Float32Array in this process; and ingestion through
 * POST .../documents, against inserting into Kiln's tables directly. The first 10,000 chunks go
 * in through the API, the other 90,000 straight into the tables by SQL (the API would take
 * minutes); on this machine's PostgreSQL, without pgvector, Kiln searches by an exact scan.
 */
export default {
  name: 'vector-search',
  description: `vector search over ${thousands(SMALL)} and ${thousands(LARGE)} chunks of ${BENCH_DIMENSION}: Kiln against a Float32Array scan; ingestion`,
  async run(context) {
    const { path } = await vectorPath(context.kilnUrl);
    const collection = await newCollection(context.kilnUrl, {
      label: 'vectors',
      dimension: BENCH_DIMENSION,
    });
    context.progress(`  making ${LARGE} vectors of ${BENCH_DIMENSION}`);
    const vectors = storedVectors(LARGE);
    const queries = queryVectors(WARMUP_QUERIES + Math.max(...Object.values(QUERIES)));

    context.progress(`  ingesting ${SMALL} chunks through the API (Kiln's ${path} path)`);
    const ingestSec = await ingestThroughApi(context.kilnUrl, collection, vectors, 0, SMALL);
    context.progress(`  searching ${SMALL} chunks`);
    const small = await compareSearches(context, collection, vectors, queries, SMALL);

    context.progress(`  loading ${LARGE - SMALL} more chunks with SQL`);
    const loadSec = await bulkLoad(
      context.kiln.databaseUrl,
      collection.collectionId,
      vectors,
      SMALL,
      LARGE,
    );
    context.progress(`  searching ${LARGE} chunks`);
    const large = await compareSearches(context, collection, vectors, queries, LARGE);

    const searchRows = [
      [SMALL, small],
      [LARGE, large],
    ].flatMap(([count, result]) => {
      const size = thousands(count);
      const scan = latencySummary(result.scanMs);
      const kilnP50 = percentile(result.kilnMs, 50);
      const scanP50 = percentile(result.scanMs, 50);
      return [
        context.row(`kiln-${size}`, latencySummary(result.kilnMs), scan, {
          note:
            `${result.kilnMs.length} searches of top ${TOP_K}, one at a time, over ${count} chunks (${path} path); ` +
            `p50 ${fmt(kilnP50)} ms against the scan's ${fmt(scanP50)} ms: ${(kilnP50 / scanP50).toFixed(0)}x; ` +
            `Kiln's hits are ${(result.agreement * 100).toFixed(1)} % of the scan's top ${TOP_K}`,
        }),
        context.row(`f32-scan-${size}`, scan, scan, {
          note: `top ${TOP_K} by dot product over a Float32Array of ${count} x ${BENCH_DIMENSION} in the bench process`,
        }),
      ];
    });
    const sqlInsert = {
      value: (LARGE - SMALL) / loadSec,
      unit: 'chunks/s',
      totalRequests: LARGE - SMALL,
    };
    return [
      ...searchRows,
      context.row(
        'kiln-ingest',
        { value: SMALL / ingestSec, unit: 'chunks/s', totalRequests: SMALL / ingestion.batch },
        sqlInsert,
        {
          note:
            `${SMALL} one-chunk documents with their own vectors, POST .../documents ` +
            `${ingestion.batch} at a time, ${ingestion.inFlight} requests in flight: ${ingestSec.toFixed(1)} s`,
        },
      ),
      context.row('sql-insert', sqlInsert, sqlInsert, {
        note:
          `the other ${LARGE - SMALL} chunks straight into Kiln's tables over one connection, ` +
          `INSERTs of ${SQL_BATCH} documents and then their chunks: ${loadSec.toFixed(1)} s`,
      }),
    ];
  },
};
