import { Column, CreateDateColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from './user.entity';

/** What every record a user owns starts with: its id, its owner (gone with them) and its birth. */
export abstract class OwnedRecord {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  ownerId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  owner?: User;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
