import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { PERIOD_PATTERN } from '../billing-period';
import { Meter, METERS } from '../meters';

export class UsageQuery {
  @ApiPropertyOptional({
    example: '2026-01',
    description: 'A calendar month (UTC); the current one by default',
  })
  @IsOptional()
  @Matches(new RegExp(PERIOD_PATTERN), { message: 'period must be a month as YYYY-MM' })
  period?: string;
}

export class MeterUsageDto {
  @ApiProperty({ enum: METERS, enumName: 'Meter' })
  meter: Meter;

  @ApiProperty({ type: 'integer' })
  used: number;

  @ApiProperty({ type: 'integer', nullable: true, description: 'null: unlimited' })
  limit: number | null;

  @ApiProperty({ type: 'integer', nullable: true, description: 'null: unlimited' })
  remaining: number | null;
}

export class UsageDto {
  @ApiProperty({ example: '2026-01' })
  period: string;

  @ApiProperty()
  periodStart: Date;

  @ApiProperty()
  periodEnd: Date;

  @ApiProperty({ type: [MeterUsageDto], description: 'One entry per meter' })
  meters: MeterUsageDto[];
}
