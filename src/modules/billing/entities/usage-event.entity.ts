import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { bigintAsNumber } from '../../../infra/database/bigint-as-number';
import { User } from '../../users/entities/user.entity';
import { Meter } from '../meters';

/**
 * One metered happening, appended and never changed: the counters are their sum. The
 * idempotency key makes recording the same happening twice a no-op.
 */
@Entity('usage_events')
@Index(['userId', 'periodStart', 'meter'])
export class UsageEvent {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
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

  @Column({ type: 'varchar', length: 200, unique: true })
  idempotencyKey: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
