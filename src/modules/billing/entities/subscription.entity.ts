import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { bigintAsNumber } from '../../../infra/database/bigint-as-number';
import { User } from '../../users/entities/user.entity';
import { Plan } from './plan.entity';

export enum SubscriptionStatus {
  Active = 'active',
  /** The payment provider could not collect; the plan stays until it gives up. */
  PastDue = 'past_due',
}

/**
 * A user's one current subscription, and with it their billing account: the period not yet
 * invoiced, the credit balance and the payment provider's ids.
 */
@Entity('subscriptions')
export class Subscription {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid', unique: true })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  user?: User;

  @Index()
  @Column({ type: 'uuid' })
  planId: string;

  @ManyToOne(() => Plan, { onDelete: 'RESTRICT' })
  plan?: Plan;

  @Column({
    type: 'enum',
    enum: SubscriptionStatus,
    enumName: 'subscription_status',
    default: SubscriptionStatus.Active,
  })
  status: SubscriptionStatus;

  /** The oldest period not invoiced yet; closing it moves this to the next one. */
  @Index()
  @Column({ type: 'timestamptz' })
  currentPeriodStart: Date;

  /** Cents of credit left; the credit ledger says how it got there. */
  @Column({ type: 'bigint', default: 0, transformer: bigintAsNumber })
  creditBalanceCents: number;

  @Column({ type: 'varchar', length: 255, nullable: true })
  stripeCustomerId: string | null;

  @Index({ unique: true, where: 'stripe_subscription_id IS NOT NULL' })
  @Column({ type: 'varchar', length: 255, nullable: true })
  stripeSubscriptionId: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
