import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { User } from '../../users/entities/user.entity';
import { WebhookEvent } from '../webhook-events';

/** A URL the owner wants told about their jobs' events. */
@Entity('webhooks')
export class Webhook {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column({ type: 'uuid' })
  ownerId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  owner?: User;

  @Column({ type: 'varchar', length: 2048 })
  url: string;

  @Column({ type: 'text', array: true })
  events: WebhookEvent[];

  /**
   * The signing secret, in plain text in a column of its own that no answer but the creation one
   * reads. It cannot be hashed like an API key: every delivery needs the secret itself to compute
   * its HMAC. Encrypting it (AES-256-GCM) would keep it out of database dumps and backups, but
   * needs a data-encryption key in the configuration, which Kiln does not have yet; when it has
   * one, encrypt this column with a migration.
   */
  @Column({ type: 'varchar', length: 100 })
  secret: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
