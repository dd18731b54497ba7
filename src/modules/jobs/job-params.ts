import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { plainToInstance } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
  validate,
} from 'class-validator';
import { FieldError } from '../../common/problem/problem.exception';
import { toFieldErrors } from '../../common/validation/field-errors';
import { JobType } from './job-types';

const RESOLUTIONS = ['480p', '720p', '1080p', '2160p'] as const;
const QUALITIES = ['low', 'medium', 'high'] as const;

export class TranscodeParams {
  @ApiProperty({ enum: RESOLUTIONS })
  @IsIn(RESOLUTIONS)
  resolution: (typeof RESOLUTIONS)[number] = '720p';

  @ApiProperty({ enum: QUALITIES })
  @IsIn(QUALITIES)
  quality: (typeof QUALITIES)[number] = 'medium';

  @ApiProperty({ enum: ['mp4', 'webm'] })
  @IsIn(['mp4', 'webm'])
  format: 'mp4' | 'webm' = 'mp4';
}

export class ThumbnailParams {
  @ApiProperty({ minimum: 0, description: 'Seconds into the video' })
  @IsNumber()
  @Min(0)
  @Max(86_400)
  atSec: number = 0;

  @ApiProperty({ type: 'integer', minimum: 16, maximum: 3840 })
  @IsInt()
  @Min(16)
  @Max(3840)
  width: number = 320;

  @ApiProperty({ enum: ['jpeg', 'webp'] })
  @IsIn(['jpeg', 'webp'])
  format: 'jpeg' | 'webp' = 'jpeg';
}

export class MontageParams {
  @ApiProperty({ enum: RESOLUTIONS })
  @IsIn(RESOLUTIONS)
  resolution: (typeof RESOLUTIONS)[number] = '720p';

  @ApiPropertyOptional({ minimum: 1, maximum: 3600 })
  @IsOptional()
  @IsNumber()
  @Min(1)
  @Max(3600)
  maxDurationSec?: number;
}

export class AudioExtractParams {
  @ApiProperty({ enum: ['mp3', 'wav'] })
  @IsIn(['mp3', 'wav'])
  format: 'mp3' | 'wav' = 'mp3';
}

export class GenerateParams {
  @ApiProperty({ minLength: 1, maxLength: 2000 })
  @IsString()
  @Length(1, 2000)
  prompt: string;

  @ApiPropertyOptional({ description: 'Provider model; the built-in renderer ignores it' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  model?: string;

  @ApiProperty({ enum: RESOLUTIONS })
  @IsIn(RESOLUTIONS)
  resolution: (typeof RESOLUTIONS)[number] = '720p';

  @ApiProperty({ enum: QUALITIES })
  @IsIn(QUALITIES)
  quality: (typeof QUALITIES)[number] = 'medium';

  @ApiProperty({ minimum: 1, maximum: 60 })
  @IsNumber()
  @Min(1)
  @Max(60)
  durationSec: number = 5;
}

export const PARAMS_CLASSES = {
  [JobType.Transcode]: TranscodeParams,
  [JobType.Thumbnail]: ThumbnailParams,
  [JobType.Montage]: MontageParams,
  [JobType.AudioExtract]: AudioExtractParams,
  [JobType.Generate]: GenerateParams,
};

export type JobParams =
  TranscodeParams | ThumbnailParams | MontageParams | AudioExtractParams | GenerateParams;

/**
 * Validates a type's params, filling in defaults; field errors are named `params.<field>`. No
 * params and `null` (which IsOptional lets through) both mean the defaults.
 */
export async function resolveParams(
  type: JobType,
  raw: object | null = {},
): Promise<{ params: JobParams; errors: FieldError[] }> {
  const paramsClass: new () => JobParams = PARAMS_CLASSES[type];
  const params = plainToInstance(paramsClass, raw ?? {}, { exposeDefaultValues: true });
  const errors = await validate(params, { whitelist: true, forbidNonWhitelisted: true });
  return { params, errors: toFieldErrors(errors, 'params') };
}
