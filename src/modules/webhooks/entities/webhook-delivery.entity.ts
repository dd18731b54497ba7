import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { WebhookEvent } from '../webhook-events';
import { Webhook } from './webhook.entity';

export enum DeliveryStatus {
  Pending = 'pending',
  Succeeded = 'succeeded',
  Failed = 'failed',
}

/** One attempt to deliver, as the deliveries answer shows it. */
export interface DeliveryAttempt {
  attempt: number;
  at: string;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

/**
 * One event sent to one webhook. The row is the truth about it; the Bull job is only the
 * transport that gets it attempted, and retried.
 */
@Entity('webhook_deliveries')
@Index(['webhookId', 'createdAt'])
export class WebhookDelivery {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  webhookId: string;

  // A webhook's deliveries are its history: deleting the webhook deletes them too.
  @ManyToOne(() => Webhook, { onDelete: 'CASCADE' })
  webhook?: Webhook;

  /** The same for every webhook told about one event, so receivers can tell repeats apart. */
  @Column({ type: 'uuid' })
  eventId: string;

  @Column({ type: 'varchar', length: 32 })
  type: WebhookEvent;

  /** The exact bytes sent, so every attempt sends (and signs) the same body. */
  @Column({ type: 'text' })
  body: string;

  @Column({
    type: 'enum',
    enum: DeliveryStatus,
    enumName: 'webhook_delivery_status',
    default: DeliveryStatus.Pending,
  })
  status: DeliveryStatus;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  @Column({ type: 'int', nullable: true })
  lastStatusCode: number | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  lastError: string | null;

  @Column({ type: 'int', nullable: true })
  lastDurationMs: number | null;

  /** Every attempt, oldest first; at most WEBHOOKS_MAX_ATTEMPTS entries, so a column suffices. */
  @Column({ type: 'jsonb', default: [] })
  attemptLog: DeliveryAttempt[];

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
