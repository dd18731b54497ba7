import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhook secrets become sealed values (about 120 characters), too long for varchar(100). The
 * type changes in place: TypeORM's generated DROP and ADD would lose every existing secret, which
 * api processes seal at start (the migration has no key to do it).
 */
export class WebhookSecretsSealed1795337251736 implements MigrationInterface {
  name = 'WebhookSecretsSealed1795337251736';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "webhooks" ALTER COLUMN "secret" TYPE text`);
  }

  /** Fails while any secret is sealed: they cannot be opened here, and must not be cut short. */
  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "webhooks" ALTER COLUMN "secret" TYPE character varying(100)`,
    );
  }
}
