import { Filter } from '../filter/filter';

/** `pgvector`: HNSW cosine indexes where the extension is installed; `exact`: a full scan. */
export type VectorPath = 'pgvector' | 'exact';

export interface VectorQuery {
  collectionId: string;
  /** The collection's dimension, which `vector` has. */
  dimension: number;
  /** Unit length, like every stored vector, so the dot product is the cosine. */
  vector: number[];
  topK: number;
  filter?: Filter;
}

export interface ScoredChunk {
  /** The document's id as its client gave it. */
  documentId: string;
  chunkId: string;
  text: string;
  metadata: Record<string, unknown>;
  /** Cosine similarity, higher is closer. */
  score: number;
}

/** What readiness and the start-up log say about the path in use. */
export interface VectorPathReport {
  path: VectorPath;
  /** pgvector only: the extension's version and the dimensions that have an HNSW index. */
  pgvector?: string;
  hnswDimensions?: number[];
}

/**
 * Finds a collection's chunks closest to a vector. Chunks are stored the same way on every
 * database (`real[]`, written by EmbeddingsService); implementations differ only in how they
 * rank them. Which one runs is decided at start (vector-search.provider.ts).
 */
export abstract class VectorSearch {
  abstract readonly report: VectorPathReport;
  abstract search(query: VectorQuery): Promise<ScoredChunk[]>;
}
