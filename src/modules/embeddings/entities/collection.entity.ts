import { Column, Entity, Index, UpdateDateColumn } from 'typeorm';
import { OwnedRecord } from '../../users/entities/owned-record';

/** Documents embedded with one model; the model and dimension are fixed when it is created. */
@Entity('embedding_collections')
@Index(['ownerId', 'createdAt'])
export class Collection extends OwnedRecord {
  @Index()
  @Column({ type: 'uuid', nullable: true })
  projectId: string | null;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 100 })
  model: string;

  @Column({ type: 'int' })
  dimension: number;

  @Column({ type: 'int' })
  chunkSize: number;

  @Column({ type: 'int' })
  chunkOverlap: number;

  @Column({ type: 'jsonb', default: {} })
  metadata: Record<string, unknown>;

  @Column({ type: 'int', default: 0 })
  documentCount: number;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
