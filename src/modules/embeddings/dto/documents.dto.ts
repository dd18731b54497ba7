import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Length,
  ValidateNested,
} from 'class-validator';
import { EmbeddingDocument } from '../entities/document.entity';

export class DocumentInputDto {
  @ApiPropertyOptional({
    maxLength: 200,
    description: 'Your id; the same id again replaces the document',
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  id?: string;

  @ApiProperty({ maxLength: 1_000_000 })
  @IsString()
  @Length(1, 1_000_000)
  text: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] },
  })
  @IsOptional()
  @IsObject()
  metadata?: Record<string, unknown>;

  @ApiPropertyOptional({
    type: [Number],
    description: 'Your own vector for the whole text (not chunked)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(16_384)
  @IsNumber({ allowNaN: false, allowInfinity: false }, { each: true })
  embedding?: number[];
}

export class UpsertDocumentsDto {
  @ApiProperty({ type: [DocumentInputDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  // ValidateNested alone lets arrays of arrays through.
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => DocumentInputDto)
  documents: DocumentInputDto[];
}

export class DeleteDocumentsDto {
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  ids?: string[];

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'A metadata filter (see search)',
  })
  @IsOptional()
  @IsObject()
  filter?: Record<string, unknown>;
}

export class StoredDocumentDto {
  @ApiProperty({ description: 'Your id, or the one generated when you gave none' })
  id: string;

  @ApiProperty({ type: 'integer' })
  chunkCount: number;
}

export class StoredDocumentsDto {
  @ApiProperty({ type: [StoredDocumentDto], description: 'In the order they were sent' })
  data: StoredDocumentDto[];
}

export class DeletedDocumentsDto {
  @ApiProperty({ type: 'integer' })
  deleted: number;
}

export class DocumentDto extends StoredDocumentDto {
  @ApiProperty()
  text: string;

  @ApiProperty({ type: 'object', additionalProperties: true })
  metadata: Record<string, unknown>;

  @ApiProperty()
  createdAt: Date;

  @ApiProperty()
  updatedAt: Date;

  static from(d: EmbeddingDocument): DocumentDto {
    return {
      id: d.externalId,
      text: d.text,
      metadata: d.metadata,
      chunkCount: d.chunkCount,
      createdAt: d.createdAt,
      updatedAt: d.updatedAt,
    };
  }
}
