import {
  Column,
  CreateDateColumn,
  Entity,
  Generated,
  Index,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { bigintAsNumber } from '../../../infra/database/bigint-as-number';
import { Conversation } from './conversation.entity';

export enum MessageRole {
  System = 'system',
  User = 'user',
  Assistant = 'assistant',
}

export interface Citation {
  documentId: string;
  chunkId: string;
  score: number;
}

@Entity('messages')
@Index(['conversationId', 'seq'])
export class Message {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  conversationId: string;

  @ManyToOne(() => Conversation, { onDelete: 'CASCADE' })
  conversation?: Conversation;

  /** Insertion order: a message and its reply share a commit time, never a number. */
  @Column({ type: 'bigint', transformer: bigintAsNumber })
  @Generated('increment')
  seq: number;

  @Column({ type: 'enum', enum: MessageRole, enumName: 'message_role' })
  role: MessageRole;

  @Column({ type: 'text' })
  content: string;

  @Column({ type: 'int' })
  tokens: number;

  @Column({ type: 'int', nullable: true })
  latencyMs: number | null;

  @Column({ type: 'jsonb', nullable: true })
  citations: Citation[] | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  model: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
