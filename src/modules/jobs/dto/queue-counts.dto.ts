import { ApiProperty } from '@nestjs/swagger';

export class QueueCountsDto {
  @ApiProperty({ example: 'jobs' })
  name: string;

  @ApiProperty({ type: 'integer' })
  waiting: number;

  @ApiProperty({ type: 'integer' })
  active: number;

  @ApiProperty({ type: 'integer' })
  delayed: number;

  @ApiProperty({ type: 'integer' })
  failed: number;

  @ApiProperty({ type: 'integer' })
  completed: number;

  @ApiProperty()
  paused: boolean;
}

export class RetriedJobsDto {
  @ApiProperty({ type: 'integer', description: 'Failed jobs sent back to the queue' })
  retried: number;
}
