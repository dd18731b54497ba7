import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuthenticatedUser } from '../../common/auth/authenticated-user';
import { CurrentUser } from '../../common/auth/current-user.decorator';
import { ApiDownloadResponse } from '../../common/http/api-download-response';
import { UuidParam } from '../../common/http/uuid-param';
import { ApiPageResponse } from '../../common/pagination/api-page-response';
import { Page } from '../../common/pagination/page-query.dto';
import { ApiQuotaExceededResponse } from '../billing/api-quota-exceeded-response';
import { IDEMPOTENCY_KEY_HEADER } from '../idempotency/idempotency-key-header';
import { ConversationsService } from './conversations.service';
import { ConversationsSummaryDto, ConversationStatsDto } from './dto/conversation-stats.dto';
import { ConversationExportDto } from './dto/conversation-export.dto';
import {
  ConversationDto,
  CreateConversationDto,
  DeleteConversationQuery,
  ListConversationsQuery,
  UpdateConversationDto,
} from './dto/conversation.dto';
import {
  FeedbackDto,
  MessagePageDto,
  MessagesQuery,
  PostedMessageDto,
  PostMessageDto,
  StoredFeedbackDto,
} from './dto/message.dto';
import { MessagesService } from './messages.service';
import { ReplyStream } from './reply-stream';

class ExportQuery {
  @IsOptional()
  @IsIn(['json', 'md'])
  format: 'json' | 'md' = 'json';
}

class MessageParams {
  @IsUUID()
  id: string;

  @IsUUID()
  messageId: string;
}

@ApiTags('conversations')
@Controller('conversations')
export class ConversationsController {
  constructor(
    private readonly conversations: ConversationsService,
    private readonly messages: MessagesService,
    private readonly replyStream: ReplyStream,
  ) {}

  @Post()
  @ApiOperation({
    summary: 'Start a conversation, optionally grounded on an embeddings collection',
  })
  @ApiCreatedResponse({ type: ConversationDto })
  async create(
    @CurrentUser() caller: AuthenticatedUser,
    @Body() body: CreateConversationDto,
  ): Promise<ConversationDto> {
    return ConversationDto.from(await this.conversations.create(caller, body));
  }

  @Get()
  @ApiOperation({ summary: 'The caller’s conversations, most recently active first' })
  @ApiPageResponse(ConversationDto)
  async list(
    @CurrentUser() caller: AuthenticatedUser,
    @Query() query: ListConversationsQuery,
  ): Promise<Page<ConversationDto>> {
    const page = await this.conversations.list(caller, query);
    return { ...page, data: page.data.map(ConversationDto.from) };
  }

  @Get('summary')
  @ApiOperation({
    summary: 'The caller’s totals: conversations by status, messages per day for 30 days',
  })
  @ApiOkResponse({ type: ConversationsSummaryDto })
  summary(@CurrentUser() caller: AuthenticatedUser): Promise<ConversationsSummaryDto> {
    return this.conversations.summary(caller);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One conversation' })
  @ApiOkResponse({ type: ConversationDto })
  async get(
    @CurrentUser() caller: AuthenticatedUser,
    @UuidParam() id: string,
  ): Promise<ConversationDto> {
    return ConversationDto.from(await this.conversations.get(caller, id));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change the title, status or metadata' })
  @ApiOkResponse({ type: ConversationDto })
  async update(
    @CurrentUser() caller: AuthenticatedUser,
    @UuidParam() id: string,
    @Body() body: UpdateConversationDto,
  ): Promise<ConversationDto> {
    return ConversationDto.from(await this.conversations.update(caller, id, body));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Archive, or with ?hard=true delete for good' })
  @ApiNoContentResponse()
  async remove(
    @CurrentUser() caller: AuthenticatedUser,
    @UuidParam() id: string,
    @Query() query: DeleteConversationQuery,
  ): Promise<void> {
    await this.conversations.remove(caller, id, query.hard === true);
  }

  @Post(':id/messages')
  @ApiOperation({
    summary: 'Post a message and get the reply',
    description:
      'With `Accept: text/event-stream` the reply streams as `delta` events, then `done`.',
  })
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  @ApiCreatedResponse({ type: PostedMessageDto })
  @ApiOkResponse({
    description:
      'With `Accept: text/event-stream`: `delta` events (`{"content": …}`), then `done` ' +
      '(the stored message and reply, as the 201 answer) or `error` (problem details)',
    content: { 'text/event-stream': { schema: { type: 'string' } } },
  })
  @ApiQuotaExceededResponse()
  async post(
    @CurrentUser() caller: AuthenticatedUser,
    @UuidParam() id: string,
    @Body() body: PostMessageDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Headers(IDEMPOTENCY_KEY_HEADER.name) idempotencyKey?: string,
  ): Promise<PostedMessageDto | void> {
    if (body.reply !== false && request.headers.accept?.includes('text/event-stream')) {
      const start = await this.messages.prepareStream(caller, id, body, idempotencyKey);
      return this.replyStream.stream(start, reply);
    }
    const answer = await this.messages.post(caller, id, body, idempotencyKey);
    void reply.status(answer.status);
    return answer.body;
  }

  @Get(':id/messages')
  @ApiOperation({ summary: 'Messages, oldest first; pass meta.nextCursor for the next page' })
  @ApiOkResponse({ type: MessagePageDto })
  listMessages(
    @CurrentUser() caller: AuthenticatedUser,
    @UuidParam() id: string,
    @Query() query: MessagesQuery,
  ): Promise<MessagePageDto> {
    return this.messages.list(caller, id, query.cursor, query.limit);
  }

  @Post(':id/messages/:messageId/feedback')
  @ApiOperation({ summary: 'Rate a message up or down; rating again replaces it' })
  @ApiCreatedResponse({ type: StoredFeedbackDto })
  feedback(
    @CurrentUser() caller: AuthenticatedUser,
    @Param() params: MessageParams,
    @Body() body: FeedbackDto,
  ): Promise<StoredFeedbackDto> {
    return this.messages.rate(caller, params.id, params.messageId, body);
  }

  @Get(':id/stats')
  @ApiOperation({
    summary: 'Messages by role, tokens, mean reply latency, first and last message time',
  })
  @ApiOkResponse({ type: ConversationStatsDto })
  stats(
    @CurrentUser() caller: AuthenticatedUser,
    @UuidParam() id: string,
  ): Promise<ConversationStatsDto> {
    return this.conversations.stats(caller, id);
  }

  @Get(':id/export')
  @ApiOperation({ summary: 'The conversation as a JSON or Markdown download' })
  @ApiDownloadResponse(
    'A download: JSON with format=json, Markdown with format=md',
    { model: ConversationExportDto },
    ['text/markdown'],
  )
  async export(
    @CurrentUser() caller: AuthenticatedUser,
    @UuidParam() id: string,
    @Query() query: ExportQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const body = await this.messages.export(caller, id, query.format);
    void reply
      .header(
        'content-type',
        query.format === 'md' ? 'text/markdown; charset=utf-8' : 'application/json; charset=utf-8',
      )
      .header('content-disposition', `attachment; filename="conversation-${id}.${query.format}"`);
    return body;
  }
}
