import { MigrationInterface, QueryRunner } from 'typeorm';

/** Limits per monthly period (null: unlimited) and overage in cents per block (see meters.ts). */
const SEED_PLANS = [
  {
    code: 'free',
    name: 'Free',
    description: 'To try Kiln out: every feature, modest limits.',
    priceCents: 0,
    limits: {
      jobs: 1000,
      processing_seconds: 36_000,
      storage_bytes: 5_000_000_000,
      embedding_documents: 50_000,
      messages: 2000,
      tokens: 2_000_000,
    },
    overagePrices: {
      jobs: 2,
      processing_seconds: 2,
      storage_bytes: 10,
      embedding_documents: 5,
      messages: 1,
      tokens: 1,
    },
    rateLimitTier: 'standard',
  },
  {
    code: 'pro',
    name: 'Pro',
    description: 'For a product in production.',
    priceCents: 2900,
    limits: {
      jobs: 10_000,
      processing_seconds: 360_000,
      storage_bytes: 100_000_000_000,
      embedding_documents: 200_000,
      messages: 50_000,
      tokens: 50_000_000,
    },
    overagePrices: {
      jobs: 1,
      processing_seconds: 1,
      storage_bytes: 5,
      embedding_documents: 2,
      messages: 1,
      tokens: 1,
    },
    rateLimitTier: 'elevated',
  },
  {
    code: 'business',
    name: 'Business',
    description: 'For heavy use: unlimited jobs and messages, the highest rate limits.',
    priceCents: 19_900,
    limits: {
      jobs: null,
      processing_seconds: 3_600_000,
      storage_bytes: 1_000_000_000_000,
      embedding_documents: 2_000_000,
      messages: null,
      tokens: 500_000_000,
    },
    overagePrices: {
      jobs: null,
      processing_seconds: 1,
      storage_bytes: 3,
      embedding_documents: 1,
      messages: null,
      tokens: 1,
    },
    rateLimitTier: 'premium',
  },
];

export class Billing1795317073598 implements MigrationInterface {
  name = 'Billing1795317073598';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "credit_ledger" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "amount_cents" bigint NOT NULL, "balance_after_cents" bigint NOT NULL, "reason" character varying(500) NOT NULL, "actor_id" uuid, "meter" character varying(32), "period_start" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_7ff08f655cf2f4d118c116571db" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_267a85413dc7e16aea7f5100c2" ON "credit_ledger"  ("user_id", "created_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "invoices" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "period_start" TIMESTAMP WITH TIME ZONE NOT NULL, "period_end" TIMESTAMP WITH TIME ZONE NOT NULL, "plan_id" uuid NOT NULL, "plan_name" character varying(100) NOT NULL, "currency" character(3) NOT NULL, "subtotal_cents" bigint NOT NULL, "credits_applied_cents" bigint NOT NULL, "total_cents" bigint NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_668cef7c22a427fd822cc1be3ce" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_cbed0dffb302bb28fc0a1d5adb" ON "invoices"  ("user_id", "period_start") `,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."invoice_line_kind" AS ENUM('plan', 'usage', 'credits')`,
    );
    await queryRunner.query(
      `CREATE TABLE "invoice_lines" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "invoice_id" uuid NOT NULL, "position" smallint NOT NULL, "kind" "public"."invoice_line_kind" NOT NULL, "meter" character varying(32), "description" character varying(200) NOT NULL, "quantity" bigint NOT NULL, "included_quantity" bigint, "amount_cents" bigint NOT NULL, CONSTRAINT "PK_3d18eb48142b916f581f0c21a65" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_5d7d64cb2e3739cfa97ca6c618" ON "invoice_lines"  ("invoice_id", "position") `,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."rate_limit_tier" AS ENUM('standard', 'elevated', 'premium')`,
    );
    await queryRunner.query(
      `CREATE TABLE "plans" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "code" character varying(50) NOT NULL, "name" character varying(100) NOT NULL, "description" text, "price_cents" integer NOT NULL, "currency" character(3) NOT NULL DEFAULT 'usd', "limits" jsonb NOT NULL, "overage_prices" jsonb NOT NULL, "rate_limit_tier" "public"."rate_limit_tier" NOT NULL DEFAULT 'standard', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_95f7ef3fc4c31a3545b4d825dd4" UNIQUE ("code"), CONSTRAINT "PK_3720521a81c7c24fe9b7202ba61" PRIMARY KEY ("id"))`,
    );
    // The plans every installation starts with; admins change their terms with PUT /billing/plans/:id.
    for (const plan of SEED_PLANS) {
      await queryRunner.query(
        `INSERT INTO "plans" ("code", "name", "description", "price_cents", "currency", "limits", "overage_prices", "rate_limit_tier") VALUES ($1, $2, $3, $4, 'usd', $5, $6, $7)`,
        [
          plan.code,
          plan.name,
          plan.description,
          plan.priceCents,
          JSON.stringify(plan.limits),
          JSON.stringify(plan.overagePrices),
          plan.rateLimitTier,
        ],
      );
    }
    await queryRunner.query(
      `CREATE TABLE "stripe_events" ("id" character varying(255) NOT NULL, "type" character varying(100) NOT NULL, "payload" jsonb NOT NULL, "received_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_d3247bd5fc3f66b6982bbcdd897" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."subscription_status" AS ENUM('active', 'past_due')`,
    );
    await queryRunner.query(
      `CREATE TABLE "subscriptions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "plan_id" uuid NOT NULL, "status" "public"."subscription_status" NOT NULL DEFAULT 'active', "current_period_start" TIMESTAMP WITH TIME ZONE NOT NULL, "credit_balance_cents" bigint NOT NULL DEFAULT '0', "stripe_customer_id" character varying(255), "stripe_subscription_id" character varying(255), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_d0a95ef8a28188364c546eb65c1" UNIQUE ("user_id"), CONSTRAINT "PK_a87248d73155605cf782be9ee5e" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_e45fca5d912c3a2fab512ac25d" ON "subscriptions"  ("plan_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_14b47b3756a2c1c40bf708e29d" ON "subscriptions"  ("current_period_start") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_2a16482cd7a50b788f02031f8e" ON "subscriptions"  ("stripe_subscription_id") WHERE stripe_subscription_id IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE TABLE "usage_counters" ("user_id" uuid NOT NULL, "period_start" TIMESTAMP WITH TIME ZONE NOT NULL, "meter" character varying(32) NOT NULL, "used" bigint NOT NULL DEFAULT '0', CONSTRAINT "PK_1abaf8f6c18f94a58fddc55d8da" PRIMARY KEY ("user_id", "period_start", "meter"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "usage_events" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "meter" character varying(32) NOT NULL, "amount" bigint NOT NULL, "period_start" TIMESTAMP WITH TIME ZONE NOT NULL, "idempotency_key" character varying(200) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_fee8d428a8c09a7549ea9c7f9b7" UNIQUE ("idempotency_key"), CONSTRAINT "PK_c9f17d50873fab2c46615f542bc" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_0dd4879d76012a2e086704cece" ON "usage_events"  ("user_id", "period_start", "meter") `,
    );
    await queryRunner.query(
      `ALTER TABLE "credit_ledger" ADD CONSTRAINT "FK_b3c288c46f5de08a59632916e8c" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "invoices" ADD CONSTRAINT "FK_26daf5e433d6fb88ee32ce93637" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "invoice_lines" ADD CONSTRAINT "FK_2da95dc86a54a00ff20ce46d0fe" FOREIGN KEY ("invoice_id") REFERENCES "invoices"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "subscriptions" ADD CONSTRAINT "FK_d0a95ef8a28188364c546eb65c1" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "subscriptions" ADD CONSTRAINT "FK_e45fca5d912c3a2fab512ac25dc" FOREIGN KEY ("plan_id") REFERENCES "plans"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "usage_counters" ADD CONSTRAINT "FK_c9fa4c48ed77252ef609b6b45bd" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "usage_events" ADD CONSTRAINT "FK_d45449360c659b44d775b34b50d" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "usage_events" DROP CONSTRAINT "FK_d45449360c659b44d775b34b50d"`,
    );
    await queryRunner.query(
      `ALTER TABLE "usage_counters" DROP CONSTRAINT "FK_c9fa4c48ed77252ef609b6b45bd"`,
    );
    await queryRunner.query(
      `ALTER TABLE "subscriptions" DROP CONSTRAINT "FK_e45fca5d912c3a2fab512ac25dc"`,
    );
    await queryRunner.query(
      `ALTER TABLE "subscriptions" DROP CONSTRAINT "FK_d0a95ef8a28188364c546eb65c1"`,
    );
    await queryRunner.query(
      `ALTER TABLE "invoice_lines" DROP CONSTRAINT "FK_2da95dc86a54a00ff20ce46d0fe"`,
    );
    await queryRunner.query(
      `ALTER TABLE "invoices" DROP CONSTRAINT "FK_26daf5e433d6fb88ee32ce93637"`,
    );
    await queryRunner.query(
      `ALTER TABLE "credit_ledger" DROP CONSTRAINT "FK_b3c288c46f5de08a59632916e8c"`,
    );
    await queryRunner.query(`DROP INDEX "public"."IDX_0dd4879d76012a2e086704cece"`);
    await queryRunner.query(`DROP TABLE "usage_events"`);
    await queryRunner.query(`DROP TABLE "usage_counters"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_2a16482cd7a50b788f02031f8e"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_14b47b3756a2c1c40bf708e29d"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_e45fca5d912c3a2fab512ac25d"`);
    await queryRunner.query(`DROP TABLE "subscriptions"`);
    await queryRunner.query(`DROP TYPE "public"."subscription_status"`);
    await queryRunner.query(`DROP TABLE "stripe_events"`);
    await queryRunner.query(`DROP TABLE "plans"`);
    await queryRunner.query(`DROP TYPE "public"."rate_limit_tier"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_5d7d64cb2e3739cfa97ca6c618"`);
    await queryRunner.query(`DROP TABLE "invoice_lines"`);
    await queryRunner.query(`DROP TYPE "public"."invoice_line_kind"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_cbed0dffb302bb28fc0a1d5adb"`);
    await queryRunner.query(`DROP TABLE "invoices"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_267a85413dc7e16aea7f5100c2"`);
    await queryRunner.query(`DROP TABLE "credit_ledger"`);
  }
}
