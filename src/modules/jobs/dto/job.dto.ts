import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Job } from '../entities/job.entity';
import { JobStatus, JobType } from '../job-types';

export class JobDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: JobType, enumName: 'JobType' })
  type: JobType;

  @ApiProperty({ enum: JobStatus, enumName: 'JobStatus' })
  status: JobStatus;

  @ApiProperty({ type: 'integer', minimum: 0, maximum: 100 })
  progress: number;

  @ApiProperty({ type: 'object', additionalProperties: true })
  params: object;

  @ApiProperty({ type: [String], format: 'uuid' })
  inputs: string[];

  @ApiProperty({ type: [String], format: 'uuid', description: 'Output media ids' })
  outputs: string[];

  @ApiProperty({ type: 'integer' })
  attempts: number;

  @ApiProperty({ type: 'integer' })
  maxRetries: number;

  @ApiProperty({ type: 'integer' })
  priority: number;

  @ApiPropertyOptional()
  error?: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  projectId: string | null;

  @ApiProperty({ format: 'uuid' })
  ownerId: string;

  @ApiProperty()
  createdAt: Date;

  @ApiPropertyOptional()
  startedAt?: Date;

  @ApiPropertyOptional()
  finishedAt?: Date;

  static from(job: Job): JobDto {
    return {
      id: job.id,
      type: job.type,
      status: job.status,
      progress: job.progress,
      params: job.params,
      inputs: job.inputs,
      outputs: job.outputs,
      attempts: job.attempts,
      maxRetries: job.maxRetries,
      priority: job.priority,
      ...(job.error ? { error: job.error } : {}),
      projectId: job.projectId,
      ownerId: job.ownerId,
      createdAt: job.createdAt,
      ...(job.startedAt ? { startedAt: job.startedAt } : {}),
      ...(job.finishedAt ? { finishedAt: job.finishedAt } : {}),
    };
  }
}
