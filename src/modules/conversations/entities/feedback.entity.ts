import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { Message } from './message.entity';

/** One rating per user and message; rating again replaces it. */
@Entity('message_feedback')
@Index(['messageId', 'userId'], { unique: true })
export class Feedback {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  messageId: string;

  @ManyToOne(() => Message, { onDelete: 'CASCADE' })
  message?: Message;

  @Column({ type: 'uuid' })
  userId: string;

  @Column({ type: 'varchar', length: 4 })
  rating: 'up' | 'down';

  @Column({ type: 'text', nullable: true })
  comment: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
