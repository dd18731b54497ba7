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
   * The signing secret, sealed by the secret box for this webhook (see WebhookSecrets): every
   * delivery needs the secret itself to compute its HMAC, so it cannot be hashed like an API key.
   * Rows written before secrets were sealed hold them as shown, `whsec_…`, until an api process
   * seals them at start.
   */
  @Column({ type: 'text' })
  secret: string;
}
