import { DataSource } from 'typeorm';
import { ExactVectorSearch } from './exact-vector-search';
import { rankChunks } from './rank-chunks';
import { ScoredChunk, VectorPathReport, VectorQuery, VectorSearch } from './vector-search';

/** The largest `vector` pgvector accepts; larger collections are scanned without it. */
const VECTOR_MAX_DIMENSIONS = 16_000;

/**
 * Candidates the HNSW graph walk keeps: the largest topK the API allows, so that one walk fills
 * any page. Over 10,000 embedding-like chunks of 384 it finds all of the exact top 10 (99.9 % at
 * pgvector's default of 40; npm run bench, vector-recall).
 */
const EF_SEARCH = 100;

/** Iterative index scans came with pgvector 0.8.0; earlier versions refuse the setting. */
export function hasIterativeScan(version: string): boolean {
  const [major, minor] = version.split('.').map(Number);
  return major > 0 || minor >= 8;
}

/**
 * pgvector's cosine distance (`<=>`) over `embedding::vector(n)`, the expression that the
 * migration's partial HNSW index of dimension n covers, so that PostgreSQL can walk the index
 * instead of scanning. Whether it does is the planner's choice: a small collection in a large
 * table is cheaper to scan exactly, through the collection_id index. Dimensions without an index
 * are scanned exactly with the same query, at pgvector's native speed.
 *
 * A filter is applied to the candidates the walk yields; the relaxed iterative scan walks on
 * until topK chunks pass it (or hnsw.max_scan_tuples have been seen). Before pgvector 0.8 a walk
 * stops at ef_search candidates, so a filter that few chunks pass may leave a page short.
 */
export class PgvectorSearch extends VectorSearch {
  readonly report: VectorPathReport;
  private readonly exact: ExactVectorSearch;
  private readonly settings: string;

  constructor(
    private readonly dataSource: DataSource,
    version: string,
    hnswDimensions: number[],
  ) {
    super();
    this.report = { path: 'pgvector', pgvector: version, hnswDimensions };
    this.exact = new ExactVectorSearch(dataSource);
    this.settings = hasIterativeScan(version)
      ? `SET LOCAL hnsw.ef_search = ${EF_SEARCH}; SET LOCAL hnsw.iterative_scan = relaxed_order`
      : `SET LOCAL hnsw.ef_search = ${EF_SEARCH}`;
  }

  search(query: VectorQuery): Promise<ScoredChunk[]> {
    const { dimension } = query;
    if (dimension > VECTOR_MAX_DIMENSIONS) return this.exact.search(query);
    if (!Number.isInteger(dimension) || dimension < 1) {
      throw new Error(`PgvectorSearch: ${dimension} is not a dimension`);
    }
    const vector = `vector(${dimension})`;
    return this.dataSource.transaction(async (manager) => {
      await manager.query(this.settings);
      return rankChunks(manager, query, (params) => {
        const target = `$${params.push(query.vector)}::real[]::${vector}`;
        const embedding = `c.embedding::${vector}`;
        return {
          // The negated inner product: the cosine for unit vectors, 0 for a zero vector as in
          // the exact path (where the cosine distance is undefined).
          score: `-(${embedding} <#> ${target})`,
          orderBy: `${embedding} <=> ${target}`,
          condition: `array_length(c.embedding, 1) = ${dimension}`,
        };
      });
    });
  }
}
