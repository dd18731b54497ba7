import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsEnum,
  IsInt,
  IsObject,
  IsOptional,
  IsUUID,
  Max,
  Min,
} from 'class-validator';
import {
  AudioExtractParams,
  GenerateParams,
  MontageParams,
  ThumbnailParams,
  TranscodeParams,
} from '../job-params';
import { JobType } from '../job-types';

export class CreateJobDto {
  @ApiProperty({ enum: JobType, enumName: 'JobType' })
  @IsEnum(JobType)
  type: JobType;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  projectId?: string;

  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    description:
      'Media ids, in order: one video for transcode, thumbnail and audio-extract; 2..20 for montage; none for generate',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsUUID('all', { each: true })
  inputs?: string[];

  @ApiPropertyOptional({
    description: 'Per type; see the schemas of each',
    oneOf: [
      TranscodeParams,
      ThumbnailParams,
      MontageParams,
      AudioExtractParams,
      GenerateParams,
    ].map((c) => ({
      $ref: getSchemaPath(c),
    })),
  })
  @IsOptional()
  @IsObject()
  params?: Record<string, unknown>;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: 10,
    default: 0,
    description: 'Higher runs sooner',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10)
  priority?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 10, default: 2 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10)
  maxRetries?: number;
}
