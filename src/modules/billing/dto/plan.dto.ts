import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsDefined,
  IsEnum,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { Plan } from '../entities/plan.entity';
import { RateLimitTier } from '../rate-limit-tiers';
import { MeterValuesDto } from './meter-values.dto';

const LIMITS_DESCRIPTION =
  'Per monthly period: jobs and embedding_documents are counts, processing_seconds seconds of ' +
  'job run time, storage_bytes bytes kept, messages the messages users post, tokens those of ' +
  'stored messages. null is unlimited.';

const OVERAGE_DESCRIPTION =
  'Cents per block beyond the limit, paid from credits before a request is refused. Blocks: ' +
  '1 job, 1 minute, 1 GB, 100 documents, 1 message, 1,000 tokens. null: no overage, the limit ' +
  'is firm.';

const TIER_DESCRIPTION =
  'Multiplies the per-caller rate limit (RATE_LIMIT_DEFAULT): standard x1, elevated x5, premium x20';

export class PlanDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'pro' })
  code: string;

  @ApiProperty({ example: 'Pro' })
  name: string;

  @ApiProperty({ type: String, nullable: true })
  description: string | null;

  @ApiProperty({ type: 'integer', description: 'Per month, in cents', example: 2900 })
  priceCents: number;

  @ApiProperty({ example: 'usd' })
  currency: string;

  @ApiProperty({ enum: ['month'] })
  interval: 'month';

  @ApiProperty({ type: MeterValuesDto, description: LIMITS_DESCRIPTION })
  limits: MeterValuesDto;

  @ApiProperty({ type: MeterValuesDto, description: OVERAGE_DESCRIPTION })
  overagePrices: MeterValuesDto;

  @ApiProperty({ enum: RateLimitTier, enumName: 'RateLimitTier', description: TIER_DESCRIPTION })
  rateLimitTier: RateLimitTier;

  @ApiProperty()
  updatedAt: Date;

  static from(plan: Plan): PlanDto {
    const { id, code, name, description, priceCents, currency, limits, overagePrices } = plan;
    return {
      id,
      code,
      name,
      description,
      priceCents,
      currency,
      interval: 'month',
      limits,
      overagePrices,
      rateLimitTier: plan.rateLimitTier,
      updatedAt: plan.updatedAt,
    };
  }
}

/** A plan's whole terms (PUT): an absent `description` clears it, an absent `currency` keeps it. */
export class UpdatePlanDto {
  @ApiProperty({ maxLength: 100 })
  @IsString()
  @Length(1, 100)
  name: string;

  @ApiPropertyOptional({ type: String, maxLength: 2000, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string | null;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Per month, in cents' })
  @IsInt()
  @Min(0)
  @Max(100_000_000)
  priceCents: number;

  @ApiPropertyOptional({
    example: 'usd',
    description: 'ISO 4217, lower case; unchanged when absent',
  })
  @IsOptional()
  @Matches(/^[a-z]{3}$/, { message: 'currency must be three lower-case letters (ISO 4217)' })
  currency?: string;

  @ApiProperty({ type: MeterValuesDto, description: LIMITS_DESCRIPTION })
  @IsDefined()
  @ValidateNested()
  @Type(() => MeterValuesDto)
  limits: MeterValuesDto;

  @ApiProperty({ type: MeterValuesDto, description: OVERAGE_DESCRIPTION })
  @IsDefined()
  @ValidateNested()
  @Type(() => MeterValuesDto)
  overagePrices: MeterValuesDto;

  @ApiProperty({ enum: RateLimitTier, enumName: 'RateLimitTier', description: TIER_DESCRIPTION })
  @IsEnum(RateLimitTier)
  rateLimitTier: RateLimitTier;
}
