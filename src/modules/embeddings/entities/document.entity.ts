import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { Collection } from './collection.entity';

/** A document of a collection, by the id its client gave it (or one Kiln made). */
@Entity('embedding_documents')
@Index(['collectionId', 'externalId'], { unique: true })
export class EmbeddingDocument {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  collectionId: string;

  @ManyToOne(() => Collection, { onDelete: 'CASCADE' })
  collection?: Collection;

  @Column({ type: 'varchar', length: 200 })
  externalId: string;

  @Column({ type: 'text' })
  text: string;

  @Column({ type: 'jsonb', default: {} })
  metadata: Record<string, unknown>;

  @Column({ type: 'int' })
  chunkCount: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
