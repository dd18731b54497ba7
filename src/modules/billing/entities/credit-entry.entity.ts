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

/** A line of a user's credit ledger: a grant (positive) or a consumption by overage (negative). */
@Entity('credit_ledger')
@Index(['userId', 'createdAt'])
export class CreditEntry {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  user?: User;

  @Column({ type: 'bigint', transformer: bigintAsNumber })
  amountCents: number;

  /** The user's balance once this entry applied. */
  @Column({ type: 'bigint', transformer: bigintAsNumber })
  balanceAfterCents: number;

  @Column({ type: 'varchar', length: 500 })
  reason: string;

  /** The admin who granted it; null for consumption. */
  @Column({ type: 'uuid', nullable: true })
  actorId: string | null;

  /** For consumption: the meter whose overage it paid, and in which period. */
  @Column({ type: 'varchar', length: 32, nullable: true })
  meter: Meter | null;

  @Column({ type: 'timestamptz', nullable: true })
  periodStart: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
