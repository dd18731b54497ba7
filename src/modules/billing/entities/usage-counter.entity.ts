import { Column, Entity, ManyToOne, PrimaryColumn } from 'typeorm';
import { bigintAsNumber } from '../../../infra/database/bigint-as-number';
import { User } from '../../users/entities/user.entity';
import { Meter } from '../meters';

/**
 * The use of one meter by one user in one period: the row quota checks update (and lock) in the
 * transaction of what they meter, so racing requests are counted one after the other.
 */
@Entity('usage_counters')
export class UsageCounter {
  @PrimaryColumn({ type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  user?: User;

  @PrimaryColumn({ type: 'timestamptz' })
  periodStart: Date;

  @PrimaryColumn({ type: 'varchar', length: 32 })
  meter: Meter;

  @Column({ type: 'bigint', default: 0, transformer: bigintAsNumber })
  used: number;
}
