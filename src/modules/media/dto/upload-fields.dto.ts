import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';

/** The form fields of an upload beside the file itself. */
export class UploadFieldsDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  projectId?: string;
}

/** The multipart body, for the OpenAPI document. */
export class UploadBodyDto extends UploadFieldsDto {
  @ApiProperty({ type: 'string', format: 'binary', description: 'A video, audio or image file' })
  file: unknown;
}
