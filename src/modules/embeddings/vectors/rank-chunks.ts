import { EntityManager } from 'typeorm';
import { compileFilter } from '../filter/compile-filter';
import { ScoredChunk, VectorQuery } from './vector-search';

/**
 * How one path ranks chunks, as SQL over `embedding_chunks c`: `score` (higher is closer),
 * the inner `orderBy`, and an extra `condition` if it needs one. It appends its parameters to
 * `params` and names them by position.
 */
export interface Ranking {
  score: string;
  orderBy: string;
  condition?: string;
}

interface ChunkRow {
  chunk_id: string;
  external_id: string;
  text: string;
  metadata: Record<string, unknown>;
  score: number;
}

/**
 * The collection's `topK` best chunks that pass the filter, best first, with their documents'
 * ids. The chunks are chosen first and joined to their documents after, so that the choice can
 * be served by an index alone; the outer ORDER BY also settles an order that an index scan may
 * give only roughly (pgvector's relaxed iterative scan).
 */
export async function rankChunks(
  manager: EntityManager,
  query: VectorQuery,
  rank: (params: unknown[]) => Ranking,
): Promise<ScoredChunk[]> {
  const params: unknown[] = [query.collectionId];
  const { score, orderBy, condition } = rank(params);
  const conditions = ['c.collection_id = $1'];
  if (condition) conditions.push(condition);
  if (query.filter) conditions.push(compileFilter(query.filter, 'c.metadata', params));
  const limit = `$${params.push(query.topK)}`;
  const rows = (await manager.query(
    `SELECT best.id AS chunk_id, d.external_id, best.text, best.metadata, best.score
       FROM (SELECT c.id, c.document_id, c.text, c.metadata, ${score} AS score
               FROM embedding_chunks c
              WHERE ${conditions.join(' AND ')}
              ORDER BY ${orderBy}
              LIMIT ${limit}) best
       JOIN embedding_documents d ON d.id = best.document_id
      ORDER BY best.score DESC, best.id`,
    params,
  )) as ChunkRow[];
  return rows.map((row) => ({
    documentId: row.external_id,
    chunkId: row.chunk_id,
    text: row.text,
    metadata: row.metadata,
    score: row.score,
  }));
}
