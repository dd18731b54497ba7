import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Usage events keep one index instead of three: the primary key becomes (user_id,
 * idempotency_key), which serves the idempotency check, the cascade from users and any recount
 * of a user's events. Every metered request writes an event inside its transaction, and the
 * uuid key and the (user_id, period_start, meter) index were read by nothing.
 */
export class UsageEventsKeyedByUser1796345300813 implements MigrationInterface {
  name = 'UsageEventsKeyedByUser1796345300813';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_0dd4879d76012a2e086704cece"`);
    await queryRunner.query(
      `ALTER TABLE "usage_events" DROP CONSTRAINT "PK_c9f17d50873fab2c46615f542bc"`,
    );
    await queryRunner.query(`ALTER TABLE "usage_events" DROP COLUMN "id"`);
    await queryRunner.query(
      `ALTER TABLE "usage_events" ADD CONSTRAINT "PK_b397dc8e69c7712474f6f3bfd9f" PRIMARY KEY ("user_id", "idempotency_key")`,
    );
    await queryRunner.query(
      `ALTER TABLE "usage_events" DROP CONSTRAINT "UQ_fee8d428a8c09a7549ea9c7f9b7"`,
    );
  }

  /** The events get new ids: nothing referred to the old ones. */
  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "usage_events" ADD CONSTRAINT "UQ_fee8d428a8c09a7549ea9c7f9b7" UNIQUE ("idempotency_key")`,
    );
    await queryRunner.query(
      `ALTER TABLE "usage_events" DROP CONSTRAINT "PK_b397dc8e69c7712474f6f3bfd9f"`,
    );
    await queryRunner.query(
      `ALTER TABLE "usage_events" ADD "id" uuid NOT NULL DEFAULT gen_random_uuid()`,
    );
    await queryRunner.query(
      `ALTER TABLE "usage_events" ADD CONSTRAINT "PK_c9f17d50873fab2c46615f542bc" PRIMARY KEY ("id")`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_0dd4879d76012a2e086704cece" ON "usage_events" ("user_id", "period_start", "meter") `,
    );
  }
}
