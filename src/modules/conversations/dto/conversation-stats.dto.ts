import { ApiProperty } from '@nestjs/swagger';
import { ConversationStatus } from '../entities/conversation.entity';
import { MessageRole } from '../entities/message.entity';

// The count classes implement a Record over their enum, so a new role or status fails to compile
// until the document lists it too.

export class MessagesByRoleDto implements Record<MessageRole, number> {
  @ApiProperty({ type: 'integer' })
  user: number;

  @ApiProperty({ type: 'integer' })
  assistant: number;

  @ApiProperty({ type: 'integer' })
  system: number;
}

export class TokensByRoleDto {
  @ApiProperty({ type: 'integer' })
  user: number;

  @ApiProperty({ type: 'integer' })
  assistant: number;

  @ApiProperty({ type: 'integer', description: 'user + assistant' })
  total: number;
}

export class ConversationStatsDto {
  @ApiProperty({ format: 'uuid' })
  conversationId: string;

  @ApiProperty({ type: MessagesByRoleDto })
  messagesByRole: MessagesByRoleDto;

  @ApiProperty({ type: TokensByRoleDto, description: 'o200k_base tokens' })
  tokens: TokensByRoleDto;

  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: 'Mean time the assistant took to reply; null before any reply',
  })
  meanReplyLatencyMs: number | null;

  @ApiProperty({ type: Date, nullable: true, description: 'null when there are no messages' })
  firstMessageAt: Date | null;

  @ApiProperty({ type: Date, nullable: true, description: 'null when there are no messages' })
  lastMessageAt: Date | null;
}

export class ConversationsByStatusDto implements Record<ConversationStatus, number> {
  @ApiProperty({ type: 'integer' })
  active: number;

  @ApiProperty({ type: 'integer' })
  archived: number;

  @ApiProperty({ type: 'integer' })
  closed: number;
}

export class ConversationTotalsDto {
  @ApiProperty({ type: ConversationsByStatusDto })
  byStatus: ConversationsByStatusDto;

  @ApiProperty({ type: 'integer' })
  total: number;
}

export class MessagesOnDayDto {
  @ApiProperty({ format: 'date', example: '2025-01-31', description: 'A UTC day' })
  date: string;

  @ApiProperty({ type: 'integer' })
  count: number;
}

export class ConversationsSummaryDto {
  @ApiProperty({ type: ConversationTotalsDto })
  conversations: ConversationTotalsDto;

  @ApiProperty({
    type: [MessagesOnDayDto],
    description:
      'The last 30 UTC days, oldest first, today included; days without messages count 0',
  })
  messagesPerDay: MessagesOnDayDto[];
}
