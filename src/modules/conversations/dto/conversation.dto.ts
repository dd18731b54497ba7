import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsEnum,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  MaxLength,
} from 'class-validator';
import { PageQueryDto } from '../../../common/pagination/page-query.dto';
import { Conversation, ConversationStatus } from '../entities/conversation.entity';

export class CreateConversationDto {
  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  title?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  projectId?: string;

  @ApiPropertyOptional({ maxLength: 8000 })
  @IsOptional()
  @IsString()
  @MaxLength(8000)
  systemPrompt?: string;

  @ApiPropertyOptional({
    maxLength: 100,
    description: 'For the chat service; the built-in responder ignores it',
  })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  model?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'An embeddings collection replies are grounded on',
  })
  @IsOptional()
  @IsUUID()
  collectionId?: string;
}

export class UpdateConversationDto {
  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  title?: string;

  @ApiPropertyOptional({ enum: ConversationStatus, enumName: 'ConversationStatus' })
  @IsOptional()
  @IsEnum(ConversationStatus)
  status?: ConversationStatus;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @IsOptional()
  @IsObject()
  metadata?: Record<string, unknown>;
}

export class ListConversationsQuery extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  projectId?: string;

  @ApiPropertyOptional({ enum: ConversationStatus, enumName: 'ConversationStatus' })
  @IsOptional()
  @IsEnum(ConversationStatus)
  status?: ConversationStatus;

  @ApiPropertyOptional({ description: 'Part of the title, case-insensitive' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  search?: string;
}

export class DeleteConversationQuery {
  @ApiPropertyOptional({
    description: 'true deletes for good; otherwise the conversation is archived',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => value === true || value === 'true')
  @IsBoolean()
  hard?: boolean;
}

export class ConversationDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ type: String, nullable: true })
  title: string | null;

  @ApiProperty({ type: String, nullable: true })
  systemPrompt: string | null;

  @ApiProperty({ type: String, nullable: true })
  model: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  collectionId: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  projectId: string | null;

  @ApiProperty({ enum: ConversationStatus, enumName: 'ConversationStatus' })
  status: ConversationStatus;

  @ApiProperty({ type: 'object', additionalProperties: true })
  metadata: Record<string, unknown>;

  @ApiProperty({ format: 'uuid' })
  ownerId: string;

  @ApiProperty()
  createdAt: Date;

  @ApiProperty()
  updatedAt: Date;

  static from(c: Conversation): ConversationDto {
    const {
      id,
      title,
      systemPrompt,
      model,
      collectionId,
      projectId,
      status,
      metadata,
      ownerId,
      createdAt,
      updatedAt,
    } = c;
    return {
      id,
      title,
      systemPrompt,
      model,
      collectionId,
      projectId,
      status,
      metadata,
      ownerId,
      createdAt,
      updatedAt,
    };
  }
}
