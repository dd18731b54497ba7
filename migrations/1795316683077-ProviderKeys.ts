import { MigrationInterface, QueryRunner } from 'typeorm';

export class ProviderKeys1795316683077 implements MigrationInterface {
  name = 'ProviderKeys1795316683077';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TYPE "public"."provider_kind" AS ENUM('chat', 'embeddings')`);
    await queryRunner.query(
      `CREATE TABLE "provider_keys" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "owner_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "provider" "public"."provider_kind" NOT NULL, "ciphertext" text NOT NULL, "last_four" character varying(4) NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_cd3f4b00dc891e0d9dc9b049d25" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_17b27f01fb861abfaa448000d0" ON "provider_keys"  ("owner_id", "provider") `,
    );
    await queryRunner.query(
      `ALTER TABLE "provider_keys" ADD CONSTRAINT "FK_6022b0ffef9c3320a0508dfdef4" FOREIGN KEY ("owner_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "provider_keys" DROP CONSTRAINT "FK_6022b0ffef9c3320a0508dfdef4"`,
    );
    await queryRunner.query(`DROP INDEX "public"."IDX_17b27f01fb861abfaa448000d0"`);
    await queryRunner.query(`DROP TABLE "provider_keys"`);
    await queryRunner.query(`DROP TYPE "public"."provider_kind"`);
  }
}
