import { MigrationInterface, QueryRunner } from 'typeorm';

/** The webhooks module's tables: webhooks and their deliveries (attempts in a jsonb log). */
export class Webhooks1795309530684 implements MigrationInterface {
  name = 'Webhooks1795309530684';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "webhooks" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "owner_id" uuid NOT NULL, "url" character varying(2048) NOT NULL, "events" text array NOT NULL, "secret" character varying(100) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_9e8795cfc899ab7bdaa831e8527" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_d1a90c63f6cb23ae3974aef05c" ON "webhooks"  ("owner_id") `,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."webhook_delivery_status" AS ENUM('pending', 'succeeded', 'failed')`,
    );
    await queryRunner.query(
      `CREATE TABLE "webhook_deliveries" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "webhook_id" uuid NOT NULL, "event_id" uuid NOT NULL, "type" character varying(32) NOT NULL, "body" text NOT NULL, "status" "public"."webhook_delivery_status" NOT NULL DEFAULT 'pending', "attempts" integer NOT NULL DEFAULT '0', "last_status_code" integer, "last_error" character varying(500), "last_duration_ms" integer, "attempt_log" jsonb NOT NULL DEFAULT '[]', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_535dd409947fb6d8fc6dfc0112a" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_ff6a6af2b5ceb2b23d07ec286d" ON "webhook_deliveries"  ("webhook_id", "created_at") `,
    );
    await queryRunner.query(
      `ALTER TABLE "webhooks" ADD CONSTRAINT "FK_d1a90c63f6cb23ae3974aef05c1" FOREIGN KEY ("owner_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "FK_a0286aeb96db651efd1ae2966f2" FOREIGN KEY ("webhook_id") REFERENCES "webhooks"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "webhook_deliveries" DROP CONSTRAINT "FK_a0286aeb96db651efd1ae2966f2"`,
    );
    await queryRunner.query(
      `ALTER TABLE "webhooks" DROP CONSTRAINT "FK_d1a90c63f6cb23ae3974aef05c1"`,
    );
    await queryRunner.query(`DROP INDEX "public"."IDX_ff6a6af2b5ceb2b23d07ec286d"`);
    await queryRunner.query(`DROP TABLE "webhook_deliveries"`);
    await queryRunner.query(`DROP TYPE "public"."webhook_delivery_status"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_d1a90c63f6cb23ae3974aef05c"`);
    await queryRunner.query(`DROP TABLE "webhooks"`);
  }
}
