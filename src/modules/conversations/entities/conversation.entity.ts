import { Column, Entity, Index, UpdateDateColumn } from 'typeorm';
import { OwnedRecord } from '../../users/entities/owned-record';

export enum ConversationStatus {
  Active = 'active',
  Archived = 'archived',
  Closed = 'closed',
}

@Entity('conversations')
@Index(['ownerId', 'createdAt'])
export class Conversation extends OwnedRecord {
  @Index()
  @Column({ type: 'uuid', nullable: true })
  projectId: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  title: string | null;

  @Column({ type: 'text', nullable: true })
  systemPrompt: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  model: string | null;

  /** The embeddings collection replies are grounded on, if any. */
  @Column({ type: 'uuid', nullable: true })
  collectionId: string | null;

  @Column({
    type: 'enum',
    enum: ConversationStatus,
    enumName: 'conversation_status',
    default: ConversationStatus.Active,
  })
  status: ConversationStatus;

  @Column({ type: 'jsonb', default: {} })
  metadata: Record<string, unknown>;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
