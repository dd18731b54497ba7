import { Column, CreateDateColumn, Entity, ManyToOne, PrimaryColumn } from 'typeorm';
import { bigintAsNumber } from '../../../infra/database/bigint-as-number';
import { User } from '../../users/entities/user.entity';
import { Meter } from '../meters';

/**
 * One metered happening, appended and never changed: the counters are their sum. The
 * idempotency key makes recording the same happening twice a no-op. A key names a happening of
 * one user, so the key is unique per user, and that is the table's only index: every event is
 * written on a metered request, in its transaction, and each index more is a share of its cost.
 * The user's events (a cascade, a recount) are found by the key's leading column.
 */
@Entity('usage_events')
export class UsageEvent {
  @PrimaryColumn({ type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  user?: User;

  @Column({ type: 'varchar', length: 32 })
  meter: Meter;

  /** Positive for use, negative for what is given back (storage freed). */
  @Column({ type: 'bigint', transformer: bigintAsNumber })
  amount: number;

  @Column({ type: 'timestamptz' })
  periodStart: Date;

  @PrimaryColumn({ type: 'varchar', length: 200 })
  idempotencyKey: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
