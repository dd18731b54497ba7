import { ApiProperty } from '@nestjs/swagger';

export class QueueCountsDto {
  @ApiProperty({ example: 'jobs' })
  name: string;

  @ApiProperty()
  waiting: number;

  @ApiProperty()
  active: number;

  @ApiProperty()
  delayed: number;

  @ApiProperty()
  failed: number;

  @ApiProperty()
  completed: number;

  @ApiProperty()
  paused: boolean;
}

export class RetriedJobsDto {
  @ApiProperty({ type: 'integer', description: 'Failed jobs sent back to the queue' })
  retried: number;
}
