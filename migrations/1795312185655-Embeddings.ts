import { MigrationInterface, QueryRunner } from 'typeorm';

export class Embeddings1795312185655 implements MigrationInterface {
  name = 'Embeddings1795312185655';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "embedding_collections" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "owner_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "project_id" uuid, "name" character varying(200) NOT NULL, "model" character varying(100) NOT NULL, "dimension" integer NOT NULL, "chunk_size" integer NOT NULL, "chunk_overlap" integer NOT NULL, "metadata" jsonb NOT NULL DEFAULT '{}', "document_count" integer NOT NULL DEFAULT '0', "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_a268b0b822a2b78e7a708c27a5e" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_457d829b756362d00cdbf7dd0d" ON "embedding_collections"  ("project_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_a14cbc2801171af9ec534ab85a" ON "embedding_collections"  ("owner_id", "created_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "embedding_documents" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "collection_id" uuid NOT NULL, "external_id" character varying(200) NOT NULL, "text" text NOT NULL, "metadata" jsonb NOT NULL DEFAULT '{}', "chunk_count" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_0c1ab4f3a0a0ec2e16cdc703826" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_8b84ac74fd80182c387bfa5c14" ON "embedding_documents"  ("collection_id", "external_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "embedding_chunks" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "collection_id" uuid NOT NULL, "document_id" uuid NOT NULL, "ordinal" integer NOT NULL, "text" text NOT NULL, "metadata" jsonb NOT NULL DEFAULT '{}', "embedding" real array NOT NULL, CONSTRAINT "PK_2a547e115655af804ae82e3282b" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_b85a56c3380549a5490951bd11" ON "embedding_chunks"  ("document_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_fbb39d8aac2fd0150db9d02526" ON "embedding_chunks"  ("collection_id") `,
    );
    await queryRunner.query(
      `ALTER TABLE "embedding_collections" ADD CONSTRAINT "FK_342e62c707fb0c80bb11cd5a40a" FOREIGN KEY ("owner_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "embedding_documents" ADD CONSTRAINT "FK_9deeccf51dcfc81cb7103e69032" FOREIGN KEY ("collection_id") REFERENCES "embedding_collections"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "embedding_chunks" ADD CONSTRAINT "FK_b85a56c3380549a5490951bd11b" FOREIGN KEY ("document_id") REFERENCES "embedding_documents"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "embedding_chunks" DROP CONSTRAINT "FK_b85a56c3380549a5490951bd11b"`,
    );
    await queryRunner.query(
      `ALTER TABLE "embedding_documents" DROP CONSTRAINT "FK_9deeccf51dcfc81cb7103e69032"`,
    );
    await queryRunner.query(
      `ALTER TABLE "embedding_collections" DROP CONSTRAINT "FK_342e62c707fb0c80bb11cd5a40a"`,
    );
    await queryRunner.query(`DROP INDEX "public"."IDX_fbb39d8aac2fd0150db9d02526"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_b85a56c3380549a5490951bd11"`);
    await queryRunner.query(`DROP TABLE "embedding_chunks"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_8b84ac74fd80182c387bfa5c14"`);
    await queryRunner.query(`DROP TABLE "embedding_documents"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_a14cbc2801171af9ec534ab85a"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_457d829b756362d00cdbf7dd0d"`);
    await queryRunner.query(`DROP TABLE "embedding_collections"`);
  }
}
