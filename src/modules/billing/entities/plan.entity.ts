import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { MeterValues } from '../meters';
import { RateLimitTier } from '../rate-limit-tiers';

/** What a subscription buys: a monthly price, a limit per meter, overage prices and a tier. */
@Entity('plans')
export class Plan {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Stable name for code and seeds (`free`, `pro`, `business`); new users get `free`. */
  @Column({ type: 'varchar', length: 50, unique: true })
  code: string;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  /** Per month, in the smallest unit of the currency (cents). */
  @Column({ type: 'int' })
  priceCents: number;

  @Column({ type: 'char', length: 3, default: 'usd' })
  currency: string;

  /** Every meter, each with a limit per period or null for unlimited. */
  @Column({ type: 'jsonb' })
  limits: MeterValues;

  /** Every meter, each with cents per price block beyond the limit, or null: no overage. */
  @Column({ type: 'jsonb' })
  overagePrices: MeterValues;

  @Column({
    type: 'enum',
    enum: RateLimitTier,
    enumName: 'rate_limit_tier',
    default: RateLimitTier.Standard,
  })
  rateLimitTier: RateLimitTier;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
