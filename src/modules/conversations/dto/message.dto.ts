import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { CursorPageMetaDto } from '../../../common/pagination/cursor-page-meta.dto';
import { Message, MessageRole } from '../entities/message.entity';

export class PostMessageDto {
  @ApiProperty({ maxLength: 32_000 })
  @IsString()
  @Length(1, 32_000)
  content: string;

  @ApiPropertyOptional({ enum: ['user'], default: 'user' })
  @IsOptional()
  @IsIn(['user'])
  role?: 'user';

  @ApiPropertyOptional({ default: true, description: 'Ask for the assistant’s reply' })
  @IsOptional()
  @IsBoolean()
  reply?: boolean;
}

export class MessagesQuery {
  @ApiPropertyOptional({ description: 'meta.nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @Matches(/^\d{1,19}$/, { message: 'cursor is not one this API gave' })
  cursor?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit: number = 50;
}

export class FeedbackDto {
  @ApiProperty({ enum: ['up', 'down'] })
  @IsIn(['up', 'down'])
  rating: 'up' | 'down';

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  comment?: string;
}

class CitationDto {
  @ApiProperty()
  documentId: string;

  @ApiProperty()
  chunkId: string;

  @ApiProperty()
  score: number;
}

export class MessageDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  conversationId: string;

  @ApiProperty({ enum: MessageRole, enumName: 'MessageRole' })
  role: MessageRole;

  @ApiProperty()
  content: string;

  @ApiProperty({ type: 'integer', description: 'o200k_base tokens' })
  tokens: number;

  @ApiPropertyOptional({ type: 'integer', description: 'How long the reply took; replies only' })
  latencyMs?: number;

  @ApiPropertyOptional({ type: [CitationDto] })
  citations?: CitationDto[];

  @ApiProperty()
  createdAt: Date;

  static from(m: Message): MessageDto {
    return {
      id: m.id,
      conversationId: m.conversationId,
      role: m.role,
      content: m.content,
      tokens: m.tokens,
      ...(m.latencyMs !== null ? { latencyMs: m.latencyMs } : {}),
      ...(m.citations ? { citations: m.citations } : {}),
      createdAt: m.createdAt,
    };
  }
}

export class PostedMessageDto {
  @ApiProperty({ type: MessageDto })
  message: MessageDto;

  @ApiPropertyOptional({ type: MessageDto })
  reply?: MessageDto;
}

export class MessagePageDto {
  @ApiProperty({ type: [MessageDto] })
  data: MessageDto[];

  @ApiProperty({ type: CursorPageMetaDto })
  meta: CursorPageMetaDto;
}

export class StoredFeedbackDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  messageId: string;

  @ApiProperty({ enum: ['up', 'down'] })
  rating: 'up' | 'down';

  @ApiProperty({ type: String, nullable: true })
  comment: string | null;

  @ApiProperty({ type: Date })
  createdAt: Date;
}
