import { ApiProperty } from '@nestjs/swagger';

export const JOB_STATUSES = ['queued', 'processing', 'completed', 'failed', 'cancelled'] as const;

class JobCountsDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    example: { queued: 0, processing: 1, completed: 4, failed: 0, cancelled: 0 },
  })
  byStatus: Record<string, number>;

  @ApiProperty({ type: 'integer' })
  total: number;
}

class MediaCountsDto {
  @ApiProperty({ type: 'integer' })
  count: number;

  @ApiProperty({ type: 'integer' })
  bytes: number;
}

class ConversationCountsDto {
  @ApiProperty({ type: 'integer' })
  count: number;
}

export class ProjectStatsDto {
  @ApiProperty({ format: 'uuid' })
  projectId: string;

  @ApiProperty({ type: JobCountsDto })
  jobs: JobCountsDto;

  @ApiProperty({ type: MediaCountsDto })
  media: MediaCountsDto;

  @ApiProperty({ type: ConversationCountsDto })
  conversations: ConversationCountsDto;
}

export type ProjectStatsPart = Partial<Omit<ProjectStatsDto, 'projectId'>>;

/**
 * Modules that keep work in projects (media, jobs, conversations) add their counts through
 * this, so projects depends on none of them.
 */
export type ProjectStatsContributor = (projectId: string) => Promise<ProjectStatsPart>;

export function emptyProjectStats(projectId: string): ProjectStatsDto {
  return {
    projectId,
    jobs: { byStatus: Object.fromEntries(JOB_STATUSES.map((s) => [s, 0])), total: 0 },
    media: { count: 0, bytes: 0 },
    conversations: { count: 0 },
  };
}
