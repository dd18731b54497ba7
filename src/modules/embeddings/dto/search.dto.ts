import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDefined,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
} from 'class-validator';

export class EmbedDto {
  @ApiProperty({
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    description: 'Up to 256 texts',
  })
  @IsDefined()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? [value] : value))
  @IsArray()
  @ArrayMaxSize(256)
  @IsString({ each: true })
  @Length(1, 32_000, { each: true })
  input: string[];
}

export class EmbeddingDto {
  @ApiProperty({ type: 'integer' })
  index: number;

  @ApiProperty({ type: [Number] })
  embedding: number[];
}

export class EmbedResponseDto {
  @ApiProperty()
  model: string;

  @ApiProperty({ type: 'integer' })
  dimension: number;

  @ApiProperty({ type: [EmbeddingDto] })
  data: EmbeddingDto[];
}

export class SearchDto {
  @ApiPropertyOptional({ maxLength: 8000, description: 'Text to search for; or give `embedding`' })
  @IsOptional()
  @IsString()
  @Length(1, 8000)
  query?: string;

  @ApiPropertyOptional({ type: [Number], description: 'A vector of the collection’s dimension' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(16_384)
  @IsNumber({ allowNaN: false, allowInfinity: false }, { each: true })
  embedding?: number[];

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: 10 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  topK?: number;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description:
      'Chroma-style `where`: {key: v}, {key: {$eq|$ne|$gt|$gte|$lt|$lte: v}}, {key: {$in|$nin: [...]}}, {$and|$or: [...]}',
  })
  @IsOptional()
  @IsObject()
  filter?: Record<string, unknown>;
}

export class SearchHitDto {
  @ApiProperty()
  documentId: string;

  @ApiProperty({ format: 'uuid' })
  chunkId: string;

  @ApiProperty()
  text: string;

  @ApiProperty({ type: 'object', additionalProperties: true })
  metadata: Record<string, unknown>;

  @ApiProperty({ description: 'Cosine similarity, higher is closer' })
  score: number;
}

export class SearchResultDto {
  @ApiProperty({ type: [SearchHitDto] })
  data: SearchHitDto[];
}
