import { Column, Entity, Index } from 'typeorm';
import { OwnedRecord } from '../../users/entities/owned-record';
import { WebhookEvent } from '../webhook-events';

/** A URL the owner wants told about their jobs' events. */
@Entity('webhooks')
@Index(['ownerId'])
export class Webhook extends OwnedRecord {
  @Column({ type: 'varchar', length: 2048 })
  url: string;

  @Column({ type: 'text', array: true })
  events: WebhookEvent[];

  /**
   * The signing secret, in plain text in a column of its own that no answer but the creation one
   * reads. It cannot be hashed like an API key: every delivery needs the secret itself to compute
   * its HMAC. Encrypting it (AES-256-GCM) would keep it out of database dumps and backups, but
   * needs a data-encryption key in the configuration, which Kiln does not have yet; when it has
   * one, encrypt this column with a migration.
   */
  @Column({ type: 'varchar', length: 100 })
  secret: string;
}
