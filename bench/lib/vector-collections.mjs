import { performance } from 'node:perf_hooks';
import { callApi, newAccount, register, requestApi } from './kiln-api.mjs';
import { vectorJson } from './vectors.mjs';

/** Documents per POST: ~500 KB of JSON with 384 numbers each, under Kiln's 1 MB body limit. */
const INGEST_BATCH = 100;
/** POSTs in flight at once, one per core of the machine the figures in the README come from. */
const INGEST_IN_FLIGHT = 2;

/** `v<row>`: a document's id says which row of the bench's vectors it holds. */
export const documentId = (row) => `v${row}`;
export const rowOf = (id) => Number(id.slice(1));

/** A new account with an empty collection; fails unless Kiln embeds with `dimension`. */
export async function newCollection(kilnUrl, { label, dimension }) {
  const { accessToken: token } = await register(kilnUrl, newAccount(label));
  const collection = await callApi(kilnUrl, 'POST', '/embeddings/collections', {
    token,
    body: { name: `bench ${label}` },
    expect: 201,
  });
  if (collection.dimension !== dimension) {
    throw new Error(
      `Kiln's collections have dimension ${collection.dimension}; the bench needs ` +
        `EMBEDDINGS_DIMENSION=${dimension}`,
    );
  }
  return { token, collectionId: collection.id };
}

/** The vector path Kiln reports in its readiness: { path, pgvector?, hnswDimensions? }. */
export async function vectorPath(kilnUrl) {
  const { json } = await requestApi(kilnUrl, 'GET', '/health/ready');
  const vectors = json?.details?.vectors;
  if (!vectors?.path) throw new Error('Kiln readiness reports no vector path');
  return vectors;
}

/**
 * Rows [from, to) of `vectors` as one-chunk documents with their own vectors, through
 * POST /embeddings/collections/:id/documents, INGEST_BATCH per request and INGEST_IN_FLIGHT
 * requests at a time. Resolves with the seconds from the first request to the last answer.
 */
export async function ingestThroughApi(kilnUrl, { token, collectionId }, vectors, from, to) {
  const batches = [];
  for (let start = from; start < to; start += INGEST_BATCH) {
    batches.push([start, Math.min(start + INGEST_BATCH, to)]);
  }
  const startedAt = performance.now();
  let next = 0;
  const sender = async () => {
    while (next < batches.length) {
      const [start, end] = batches[next++];
      const documents = [];
      for (let row = start; row < end; row++) {
        documents.push({
          id: documentId(row),
          text: `vector ${row}`,
          embedding: JSON.parse(vectorJson(vectors, row)),
        });
      }
      await callApi(kilnUrl, 'POST', `/embeddings/collections/${collectionId}/documents`, {
        token,
        body: { documents },
        expect: 201,
      });
    }
  };
  await Promise.all(Array.from({ length: INGEST_IN_FLIGHT }, sender));
  return (performance.now() - startedAt) / 1000;
}

/** POST .../search by vector: the hits' rows, best first, and the request's time in ms. */
export async function searchThroughApi(kilnUrl, { token, collectionId }, query, topK) {
  const body = { embedding: query, topK };
  const startedAt = performance.now();
  const { data } = await callApi(
    kilnUrl,
    'POST',
    `/embeddings/collections/${collectionId}/search`,
    {
      token,
      body,
    },
  );
  const elapsedMs = performance.now() - startedAt;
  return { rows: data.map((hit) => rowOf(hit.documentId)), elapsedMs };
}

export const ingestion = { batch: INGEST_BATCH, inFlight: INGEST_IN_FLIGHT };
