import { Column, DeleteDateColumn, Entity, Index, UpdateDateColumn } from 'typeorm';
import { OwnedRecord } from '../../users/entities/owned-record';

export enum ProjectStatus {
  Active = 'active',
  Archived = 'archived',
}

@Entity('projects')
@Index(['ownerId', 'createdAt'])
export class Project extends OwnedRecord {
  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({
    type: 'enum',
    enum: ProjectStatus,
    enumName: 'project_status',
    default: ProjectStatus.Active,
  })
  status: ProjectStatus;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;

  @DeleteDateColumn({ type: 'timestamptz', nullable: true })
  deletedAt: Date | null;
}
