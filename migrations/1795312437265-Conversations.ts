import { MigrationInterface, QueryRunner } from 'typeorm';

export class Conversations1795312437265 implements MigrationInterface {
  name = 'Conversations1795312437265';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TYPE "public"."conversation_status" AS ENUM('active', 'archived', 'closed')`,
    );
    await queryRunner.query(
      `CREATE TABLE "conversations" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "owner_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "project_id" uuid, "title" character varying(200), "system_prompt" text, "model" character varying(100), "collection_id" uuid, "status" "public"."conversation_status" NOT NULL DEFAULT 'active', "metadata" jsonb NOT NULL DEFAULT '{}', "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_ee34f4f7ced4ec8681f26bf04ef" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_9f16876c6b675f1f683e604b51" ON "conversations"  ("project_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_578d13ffe0a28cde10c4469c74" ON "conversations"  ("owner_id", "created_at") `,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."message_role" AS ENUM('system', 'user', 'assistant')`,
    );
    await queryRunner.query(
      `CREATE TABLE "messages" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "conversation_id" uuid NOT NULL, "seq" BIGSERIAL NOT NULL, "role" "public"."message_role" NOT NULL, "content" text NOT NULL, "tokens" integer NOT NULL, "latency_ms" integer, "citations" jsonb, "model" character varying(100), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_18325f38ae6de43878487eff986" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_6c6ea2ab4c0804750cd95eefa8" ON "messages"  ("conversation_id", "seq") `,
    );
    await queryRunner.query(
      `CREATE TABLE "message_feedback" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "message_id" uuid NOT NULL, "user_id" uuid NOT NULL, "rating" character varying(4) NOT NULL, "comment" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_ab38df3ab5715f78a9f2c5f0c4a" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_4eab2a5ac7b5fac0457cede4c1" ON "message_feedback"  ("message_id", "user_id") `,
    );
    await queryRunner.query(
      `ALTER TABLE "conversations" ADD CONSTRAINT "FK_3964fc360a683d14cf0f1472751" FOREIGN KEY ("owner_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "messages" ADD CONSTRAINT "FK_3bc55a7c3f9ed54b520bb5cfe23" FOREIGN KEY ("conversation_id") REFERENCES "conversations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "message_feedback" ADD CONSTRAINT "FK_ca21e42f59ad7a1f2638a86aedf" FOREIGN KEY ("message_id") REFERENCES "messages"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "message_feedback" DROP CONSTRAINT "FK_ca21e42f59ad7a1f2638a86aedf"`,
    );
    await queryRunner.query(
      `ALTER TABLE "messages" DROP CONSTRAINT "FK_3bc55a7c3f9ed54b520bb5cfe23"`,
    );
    await queryRunner.query(
      `ALTER TABLE "conversations" DROP CONSTRAINT "FK_3964fc360a683d14cf0f1472751"`,
    );
    await queryRunner.query(`DROP INDEX "public"."IDX_4eab2a5ac7b5fac0457cede4c1"`);
    await queryRunner.query(`DROP TABLE "message_feedback"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_6c6ea2ab4c0804750cd95eefa8"`);
    await queryRunner.query(`DROP TABLE "messages"`);
    await queryRunner.query(`DROP TYPE "public"."message_role"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_578d13ffe0a28cde10c4469c74"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_9f16876c6b675f1f683e604b51"`);
    await queryRunner.query(`DROP TABLE "conversations"`);
    await queryRunner.query(`DROP TYPE "public"."conversation_status"`);
  }
}
