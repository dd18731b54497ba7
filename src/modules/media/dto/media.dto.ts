import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Media, MediaKind } from '../entities/media.entity';

export class MediaDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: MediaKind, enumName: 'MediaKind' })
  kind: MediaKind;

  @ApiProperty({ example: 'intro.mp4' })
  filename: string;

  @ApiProperty({ example: 'video/mp4', description: 'Decided from the bytes, not the name' })
  mimeType: string;

  @ApiProperty({ type: 'integer' })
  sizeBytes: number;

  @ApiProperty({ description: 'Hex SHA-256 of the bytes' })
  sha256: string;

  @ApiPropertyOptional()
  durationSec?: number;

  @ApiPropertyOptional({ type: 'integer' })
  width?: number;

  @ApiPropertyOptional({ type: 'integer' })
  height?: number;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  projectId: string | null;

  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'The job that made an output',
  })
  jobId: string | null;

  @ApiProperty({ format: 'uuid' })
  ownerId: string;

  @ApiProperty()
  createdAt: Date;

  static from(media: Media): MediaDto {
    const {
      id,
      kind,
      filename,
      mimeType,
      sizeBytes,
      sha256,
      projectId,
      jobId,
      ownerId,
      createdAt,
    } = media;
    return {
      id,
      kind,
      filename,
      mimeType,
      sizeBytes,
      sha256,
      ...(media.durationSec !== null ? { durationSec: media.durationSec } : {}),
      ...(media.width !== null ? { width: media.width } : {}),
      ...(media.height !== null ? { height: media.height } : {}),
      projectId,
      jobId,
      ownerId,
      createdAt,
    };
  }
}
