import { Logger, Provider } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ExactVectorSearch } from './exact-vector-search';
import { PgvectorSearch } from './pgvector-search';
import { VectorSearch } from './vector-search';

/**
 * The path for this database, chosen once at start (after migrations): pgvector when the
 * `vector` extension is installed in it (the VectorIndexes migration installs it where the
 * server offers it), the exact scan otherwise.
 */
export const vectorSearchProvider: Provider = {
  provide: VectorSearch,
  inject: [getDataSourceToken()],
  useFactory: async (dataSource: DataSource): Promise<VectorSearch> => {
    const search = await chooseVectorSearch(dataSource);
    new Logger(VectorSearch.name).log(`Vector search: ${describe(search)}`);
    return search;
  },
};

async function chooseVectorSearch(dataSource: DataSource): Promise<VectorSearch> {
  const [extension] = (await dataSource.query(
    `SELECT extversion FROM pg_extension WHERE extname = 'vector'`,
  )) as { extversion: string }[];
  if (!extension) return new ExactVectorSearch(dataSource);
  const indexes = (await dataSource.query(
    `SELECT indexdef FROM pg_indexes
      WHERE schemaname = current_schema() AND tablename = 'embedding_chunks'
        AND indexdef LIKE '%USING hnsw%'`,
  )) as { indexdef: string }[];
  const dimensions = indexes
    .map(({ indexdef }) => Number(/::vector\((\d+)\)/.exec(indexdef)?.[1]))
    .filter((dimension) => dimension > 0)
    .sort((a, b) => a - b);
  return new PgvectorSearch(dataSource, extension.extversion, dimensions);
}

function describe({ report }: VectorSearch): string {
  if (report.path === 'exact') return 'exact scan (no pgvector in this database)';
  const indexed = report.hnswDimensions?.length ? report.hnswDimensions.join(', ') : 'none';
  return `pgvector ${report.pgvector}, HNSW indexes for dimensions ${indexed}`;
}
