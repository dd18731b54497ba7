import { ApiProperty } from '@nestjs/swagger';

export class JobStatsDto {
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' } })
  byStatus: Record<string, number>;

  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' } })
  byType: Record<string, number>;

  @ApiProperty({ type: 'integer' })
  total: number;

  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'completed / (completed + failed); null before any finished',
  })
  successRate: number | null;

  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Seconds from start to finish of completed jobs',
  })
  meanRunSec: number | null;

  @ApiProperty({ type: Number, nullable: true })
  p95RunSec: number | null;
}
