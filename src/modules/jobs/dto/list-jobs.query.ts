import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsIn, IsOptional, IsUUID } from 'class-validator';
import { PageQueryDto } from '../../../common/pagination/page-query.dto';
import { JobStatus, JobType } from '../job-types';

export const JOB_SORTS = [
  'createdAt',
  '-createdAt',
  'finishedAt',
  '-finishedAt',
  'priority',
  '-priority',
] as const;

export class ListJobsQuery extends PageQueryDto {
  @ApiPropertyOptional({ enum: JobStatus, enumName: 'JobStatus' })
  @IsOptional()
  @IsEnum(JobStatus)
  status?: JobStatus;

  @ApiPropertyOptional({ enum: JobType, enumName: 'JobType' })
  @IsOptional()
  @IsEnum(JobType)
  type?: JobType;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  projectId?: string;

  @ApiPropertyOptional({ enum: JOB_SORTS, default: '-createdAt' })
  @IsOptional()
  @IsIn(JOB_SORTS)
  sort: (typeof JOB_SORTS)[number] = '-createdAt';

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Operators and admins: another owner’s jobs',
  })
  @IsOptional()
  @IsUUID()
  ownerId?: string;
}

export class ExportJobsQuery {
  @ApiPropertyOptional({ enum: ['csv', 'json'], default: 'json' })
  @IsOptional()
  @IsIn(['csv', 'json'])
  format: 'csv' | 'json' = 'json';
}
