import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsObject, IsOptional, IsString, IsUUID, Length, Max, Min } from 'class-validator';
import { DEFAULT_CHUNK_OVERLAP, DEFAULT_CHUNK_SIZE } from '../text/chunker';
import { Collection } from '../entities/collection.entity';

export class CreateCollectionDto {
  @ApiProperty({ maxLength: 200, example: 'Product manuals' })
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  projectId?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @IsOptional()
  @IsObject()
  metadata?: Record<string, unknown>;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 100,
    maximum: 8000,
    default: DEFAULT_CHUNK_SIZE,
    description: 'Characters',
  })
  @IsOptional()
  @IsInt()
  @Min(100)
  @Max(8000)
  chunkSize?: number;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: 4000,
    default: DEFAULT_CHUNK_OVERLAP,
    description: 'Characters',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(4000)
  chunkOverlap?: number;
}

export class CollectionDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  name: string;

  @ApiProperty({ example: 'kiln-hash-384' })
  model: string;

  @ApiProperty({ type: 'integer', example: 384 })
  dimension: number;

  @ApiProperty({ type: 'integer' })
  chunkSize: number;

  @ApiProperty({ type: 'integer' })
  chunkOverlap: number;

  @ApiProperty({ type: 'object', additionalProperties: true })
  metadata: Record<string, unknown>;

  @ApiProperty({ type: 'integer' })
  documentCount: number;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  projectId: string | null;

  @ApiProperty({ format: 'uuid' })
  ownerId: string;

  @ApiProperty()
  createdAt: Date;

  @ApiProperty()
  updatedAt: Date;

  static from(c: Collection): CollectionDto {
    const { id, name, model, dimension, chunkSize, chunkOverlap, metadata, documentCount } = c;
    return {
      id,
      name,
      model,
      dimension,
      chunkSize,
      chunkOverlap,
      metadata,
      documentCount,
      projectId: c.projectId,
      ownerId: c.ownerId,
      createdAt: c.createdAt,
      updatedAt: c.updatedAt,
    };
  }
}
