import { ApiProperty } from '@nestjs/swagger';
import { ConversationDto } from './conversation.dto';
import { MessageDto } from './message.dto';

/** GET /conversations/:id/export?format=json: the conversation and all its messages, oldest first. */
export class ConversationExportDto {
  @ApiProperty({ type: ConversationDto })
  conversation: ConversationDto;

  @ApiProperty({ type: [MessageDto] })
  messages: MessageDto[];
}
