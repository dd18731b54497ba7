import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  ManyToOne,
  OneToMany,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { bigintAsNumber } from '../../../infra/database/bigint-as-number';
import { User } from '../../users/entities/user.entity';
import { InvoiceLine } from './invoice-line.entity';

/** A closed period's statement: one per user and period, written by the period-closing job. */
@Entity('invoices')
@Index(['userId', 'periodStart'], { unique: true })
export class Invoice {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  user?: User;

  @Column({ type: 'timestamptz' })
  periodStart: Date;

  @Column({ type: 'timestamptz' })
  periodEnd: Date;

  @Column({ type: 'uuid' })
  planId: string;

  @Column({ type: 'varchar', length: 100 })
  planName: string;

  @Column({ type: 'char', length: 3 })
  currency: string;

  /** Plan price plus overage, before credits. */
  @Column({ type: 'bigint', transformer: bigintAsNumber })
  subtotalCents: number;

  @Column({ type: 'bigint', transformer: bigintAsNumber })
  creditsAppliedCents: number;

  @Column({ type: 'bigint', transformer: bigintAsNumber })
  totalCents: number;

  @OneToMany(() => InvoiceLine, (line) => line.invoice)
  lines?: InvoiceLine[];

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
