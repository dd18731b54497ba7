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
