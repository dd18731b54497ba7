import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** What a request sent with an `Idempotency-Key` answered, kept for 24 hours per caller. */
@Entity('idempotency_records')
@Index(['ownerId', 'scope', 'key'], { unique: true })
export class IdempotencyRecord {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  ownerId: string;

  /** The operation, e.g. `POST /media`: one key may be reused for different operations. */
  @Column({ type: 'varchar', length: 64 })
  scope: string;

  @Column({ type: 'varchar', length: 255 })
  key: string;

  /** SHA-256 of what the request means (its parsed body, or an upload's fields and file hash). */
  @Column({ type: 'char', length: 64 })
  fingerprint: string;

  /** Null while the first request is still running. */
  @Column({ type: 'int', nullable: true })
  status: number | null;

  @Column({ type: 'jsonb', nullable: true })
  body: unknown;

  @Index()
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
