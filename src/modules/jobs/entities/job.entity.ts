import { Column, Entity, Index, UpdateDateColumn } from 'typeorm';
import { OwnedRecord } from '../../users/entities/owned-record';
import { JobParams } from '../job-params';
import { JobStatus, JobType } from '../job-types';

/** The truth about a job; Bull only carries it to a worker (its Bull id is this row's id). */
@Entity('jobs')
@Index(['ownerId', 'createdAt'])
@Index(['status', 'createdAt'])
export class Job extends OwnedRecord {
  @Index()
  @Column({ type: 'uuid', nullable: true })
  projectId: string | null;

  @Column({ type: 'enum', enum: JobType, enumName: 'job_type' })
  type: JobType;

  @Column({ type: 'enum', enum: JobStatus, enumName: 'job_status', default: JobStatus.Queued })
  status: JobStatus;

  @Column({ type: 'smallint', default: 0 })
  progress: number;

  @Column({ type: 'jsonb' })
  params: JobParams;

  @Column({ type: 'uuid', array: true, default: [] })
  inputs: string[];

  @Column({ type: 'uuid', array: true, default: [] })
  outputs: string[];

  @Column({ type: 'smallint', default: 0 })
  priority: number;

  @Column({ type: 'smallint', default: 0 })
  attempts: number;

  @Column({ type: 'smallint', default: 2 })
  maxRetries: number;

  @Column({ type: 'text', nullable: true })
  error: string | null;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  startedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  finishedAt: Date | null;
}
