import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** The inbox of Stripe webhook events: an event id is applied once, with its row. */
@Entity('stripe_events')
export class StripeEvent {
  @PrimaryColumn({ type: 'varchar', length: 255 })
  id: string;

  @Column({ type: 'varchar', length: 100 })
  type: string;

  @Column({ type: 'jsonb' })
  payload: object;

  @CreateDateColumn({ type: 'timestamptz' })
  receivedAt: Date;
}
