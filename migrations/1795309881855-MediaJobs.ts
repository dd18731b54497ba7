import { MigrationInterface, QueryRunner } from 'typeorm';

export class MediaJobs1795309881855 implements MigrationInterface {
  name = 'MediaJobs1795309881855';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "idempotency_records" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "owner_id" uuid NOT NULL, "scope" character varying(64) NOT NULL, "key" character varying(255) NOT NULL, "fingerprint" character(64) NOT NULL, "status" integer, "body" jsonb, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_9ae4e93699362b0d4e3da3dd1c2" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_9fffc35246eae9c6bd1de1a699" ON "idempotency_records"  ("created_at") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_e1df0e9f226582de5391153cb9" ON "idempotency_records"  ("owner_id", "scope", "key") `,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."job_type" AS ENUM('transcode', 'thumbnail', 'montage', 'audio-extract', 'generate')`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."job_status" AS ENUM('queued', 'processing', 'completed', 'failed', 'cancelled')`,
    );
    await queryRunner.query(
      `CREATE TABLE "jobs" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "owner_id" uuid NOT NULL, "project_id" uuid, "type" "public"."job_type" NOT NULL, "status" "public"."job_status" NOT NULL DEFAULT 'queued', "progress" smallint NOT NULL DEFAULT '0', "params" jsonb NOT NULL, "inputs" uuid array NOT NULL DEFAULT '{}', "outputs" uuid array NOT NULL DEFAULT '{}', "priority" smallint NOT NULL DEFAULT '0', "attempts" smallint NOT NULL DEFAULT '0', "max_retries" smallint NOT NULL DEFAULT '2', "error" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "started_at" TIMESTAMP WITH TIME ZONE, "finished_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_cf0a6c42b72fcc7f7c237def345" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_570051510a95166a699cd7dafd" ON "jobs"  ("project_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_c2130d1d7e7f4408202a36e4f1" ON "jobs"  ("status", "created_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_89613591d79c6c860442269718" ON "jobs"  ("owner_id", "created_at") `,
    );
    await queryRunner.query(`CREATE TYPE "public"."media_kind" AS ENUM('upload', 'output')`);
    await queryRunner.query(
      `CREATE TABLE "media" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "owner_id" uuid NOT NULL, "project_id" uuid, "job_id" uuid, "kind" "public"."media_kind" NOT NULL, "filename" character varying(255) NOT NULL, "mime_type" character varying(100) NOT NULL, "size_bytes" bigint NOT NULL, "sha256" character(64) NOT NULL, "duration_sec" double precision, "width" integer, "height" integer, "storage_key" character varying(200) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_f4e0fcac36e050de337b670d8bd" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_3b04975a9ded3f70ba7ae97101" ON "media"  ("project_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_16a0da335d4f975d493c8d6885" ON "media"  ("job_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_8a3dd0913c2a96451fade65e4a" ON "media"  ("owner_id", "created_at") `,
    );
    await queryRunner.query(
      `ALTER TABLE "jobs" ADD CONSTRAINT "FK_cf1e8c9d12b7f7c08667a5bde5d" FOREIGN KEY ("owner_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "media" ADD CONSTRAINT "FK_c6889397830b5ed0f2a30362065" FOREIGN KEY ("owner_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "media" DROP CONSTRAINT "FK_c6889397830b5ed0f2a30362065"`);
    await queryRunner.query(`ALTER TABLE "jobs" DROP CONSTRAINT "FK_cf1e8c9d12b7f7c08667a5bde5d"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_8a3dd0913c2a96451fade65e4a"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_16a0da335d4f975d493c8d6885"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_3b04975a9ded3f70ba7ae97101"`);
    await queryRunner.query(`DROP TABLE "media"`);
    await queryRunner.query(`DROP TYPE "public"."media_kind"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_89613591d79c6c860442269718"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_c2130d1d7e7f4408202a36e4f1"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_570051510a95166a699cd7dafd"`);
    await queryRunner.query(`DROP TABLE "jobs"`);
    await queryRunner.query(`DROP TYPE "public"."job_status"`);
    await queryRunner.query(`DROP TYPE "public"."job_type"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_e1df0e9f226582de5391153cb9"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_9fffc35246eae9c6bd1de1a699"`);
    await queryRunner.query(`DROP TABLE "idempotency_records"`);
  }
}
