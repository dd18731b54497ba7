import { Column, Entity, Index, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { EmbeddingDocument } from './document.entity';

/**
 * A piece of a document with its vector (unit length, so a dot product is the cosine). The
 * document's metadata is copied here so that search filters need no join.
 */
@Entity('embedding_chunks')
@Index(['collectionId'])
export class Chunk {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  collectionId: string;

  @Index()
  @Column({ type: 'uuid' })
  documentId: string;

  @ManyToOne(() => EmbeddingDocument, { onDelete: 'CASCADE' })
  document?: EmbeddingDocument;

  @Column({ type: 'int' })
  ordinal: number;

  @Column({ type: 'text' })
  text: string;

  @Column({ type: 'jsonb', default: {} })
  metadata: Record<string, unknown>;

  @Column({ type: 'real', array: true })
  embedding: number[];
}
