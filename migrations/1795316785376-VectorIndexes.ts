import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Where the server offers pgvector: the `vector` extension, and an HNSW cosine index for each
 * usual embedding size. Chunks keep their `real[]` column on every server; each index is over
 * the cast `embedding::vector(n)`, partial to the chunks of that size, which is how pgvector
 * indexes vectors of one fixed dimension in a table holding several. Without pgvector this
 * does nothing, and search stays an exact scan (docs/DECISIONS.md, "Vectors").
 *
 * Another size gets its index from a migration of its own, in the same form; HNSW indexes
 * `vector` up to 2,000 dimensions.
 */
const DIMENSIONS = [256, 384, 512, 768, 1024, 1536];

export class VectorIndexes1795316785376 implements MigrationInterface {
  name = 'VectorIndexes1795316785376';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const available = (await queryRunner.query(
      `SELECT 1 FROM pg_available_extensions WHERE name = 'vector'`,
    )) as unknown[];
    if (available.length === 0) return;
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS vector`);
    for (const dimension of DIMENSIONS) {
      await queryRunner.query(
        `CREATE INDEX "IDX_embedding_chunks_hnsw_${dimension}" ON "embedding_chunks" ` +
          `USING hnsw ((embedding::vector(${dimension})) vector_cosine_ops) ` +
          `WHERE array_length(embedding, 1) = ${dimension}`,
      );
    }
    // Without statistics on the indexes' condition the planner guesses it selective (0.5 %),
    // misjudges how many chunks a search ranks, and walks an index where a scan is cheaper.
    await queryRunner.query(
      `CREATE STATISTICS "STAT_embedding_chunks_dimension" ON (array_length(embedding, 1)) ` +
        `FROM "embedding_chunks"`,
    );
  }

  // The extension stays: it may have been there before, and other objects may use it.
  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP STATISTICS IF EXISTS "public"."STAT_embedding_chunks_dimension"`);
    for (const dimension of DIMENSIONS) {
      await queryRunner.query(
        `DROP INDEX IF EXISTS "public"."IDX_embedding_chunks_hnsw_${dimension}"`,
      );
    }
  }
}
