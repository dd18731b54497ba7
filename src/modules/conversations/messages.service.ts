import { ConflictException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, MoreThan, Repository } from 'typeorm';
import { Actor } from '../../common/auth/authenticated-user';
import { UserRole } from '../../common/auth/role';
import { AppConfig } from '../../config/app-config';
import {
  ChatMessage,
  ChatProvider,
  ChatResult,
  RetrievedPassage,
} from '../../infra/providers/chat/chat-provider';
import { UsageMeter } from '../billing/usage-meter';
import { EmbeddingsService } from '../embeddings/embeddings.service';
import { countTokens } from '../embeddings/text/tokenizer';
import { fingerprintOf } from '../idempotency/fingerprint';
import {
  Answer,
  Claim,
  IdempotencyService,
  IdempotentRequest,
} from '../idempotency/idempotency.service';
import { ProviderKeysService } from '../provider-keys/provider-keys.service';
import { ProviderKind } from '../provider-keys/provider-kind';
import { recentWithin } from './context-window';
import { ConversationsService } from './conversations.service';
import { ConversationExportDto } from './dto/conversation-export.dto';
import { ConversationDto } from './dto/conversation.dto';
import {
  FeedbackDto,
  MessageDto,
  MessagePageDto,
  PostedMessageDto,
  PostMessageDto,
  StoredFeedbackDto,
} from './dto/message.dto';
import { Conversation, ConversationStatus } from './entities/conversation.entity';
import { Feedback } from './entities/feedback.entity';
import { Message, MessageRole } from './entities/message.entity';

type Caller = Pick<Actor, 'id' | 'role'>;

const PASSAGES = 4;

/** A reply in the making: the request for the provider and what the user said. */
export interface PreparedTurn {
  conversation: Conversation;
  content: string;
  messages: ChatMessage[];
  passages: RetrievedPassage[];
  /** The caller's own chat key, when they stored one. */
  apiKey?: string;
}

/** A streamed post begins with the stored answer to a repeated key, or a turn to stream. */
export type StreamStart =
  { replay: PostedMessageDto } | { turn: PreparedTurn; claim: Claim<PostedMessageDto> };

@Injectable()
export class MessagesService {
  private readonly logger = new Logger(MessagesService.name);

  constructor(
    @InjectRepository(Message) private readonly messages: Repository<Message>,
    @InjectRepository(Feedback) private readonly feedback: Repository<Feedback>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly conversations: ConversationsService,
    private readonly embeddings: EmbeddingsService,
    private readonly chat: ChatProvider,
    private readonly idempotency: IdempotencyService,
    private readonly usage: UsageMeter,
    private readonly providerKeys: ProviderKeysService,
    private readonly config: AppConfig,
  ) {}

  /** Posts a message and, unless `reply` is false, stores it together with the assistant's reply. */
  async post(
    caller: Caller,
    conversationId: string,
    input: PostMessageDto,
    key?: string,
  ): Promise<Answer<PostedMessageDto>> {
    const conversation = await this.activeConversation(caller, conversationId);
    return this.idempotency.run(
      this.idempotent(caller, conversationId, input, key),
      201,
      async () => {
        if (input.reply === false) {
          const [message] = await this.store(conversation, [this.userMessage(input.content)]);
          return { message: MessageDto.from(message) };
        }
        const turn = await this.prepare(caller, conversation, input.content);
        const started = Date.now();
        const result = await this.chat.complete({
          model: conversation.model ?? undefined,
          messages: turn.messages,
          passages: turn.passages,
          apiKey: turn.apiKey,
        });
        return this.finish(turn, result, Date.now() - started);
      },
    );
  }

  /**
   * Everything a streamed reply needs before the first byte: 404/403/409/402/422 come out here.
   * The key is claimed as for a JSON post, so a repeat replays the stored turn whichever way
   * either was asked for; the caller completes the claim with the stored turn or abandons it.
   */
  async prepareStream(
    caller: Caller,
    conversationId: string,
    input: PostMessageDto,
    key?: string,
  ): Promise<StreamStart> {
    const conversation = await this.activeConversation(caller, conversationId);
    const begun = await this.idempotency.begin<PostedMessageDto>(
      this.idempotent(caller, conversationId, input, key),
    );
    if ('replay' in begun) return { replay: begun.replay.body };
    try {
      return { turn: await this.prepare(caller, conversation, input.content), claim: begun.claim };
    } catch (error) {
      await begun.claim.abandon();
      throw error;
    }
  }

  streamReply(turn: PreparedTurn, signal: AbortSignal) {
    return this.chat.stream({
      model: turn.conversation.model ?? undefined,
      messages: turn.messages,
      passages: turn.passages,
      apiKey: turn.apiKey,
      signal,
    });
  }

  /** Stores the user's message and the reply in one transaction: both or neither. */
  async finish(
    turn: PreparedTurn,
    result: ChatResult,
    latencyMs: number,
  ): Promise<PostedMessageDto> {
    const [message, reply] = await this.store(turn.conversation, [
      this.userMessage(turn.content),
      {
        role: MessageRole.Assistant,
        content: result.content,
        tokens: countTokens(result.content),
        latencyMs,
        citations: result.citations,
        model: result.model,
      },
    ]);
    return { message: MessageDto.from(message), reply: MessageDto.from(reply) };
  }

  /** Oldest first, after the cursor; the cursor is the last message's sequence number. */
  async list(
    caller: Caller,
    conversationId: string,
    cursor: string | undefined,
    limit: number,
  ): Promise<MessagePageDto> {
    await this.conversations.get(caller, conversationId);
    const rows = await this.messages.find({
      where: { conversationId, ...(cursor ? { seq: MoreThan(Number(cursor)) } : {}) },
      order: { seq: 'ASC' },
      take: limit + 1,
    });
    const page = rows.slice(0, limit);
    return {
      data: page.map(MessageDto.from),
      meta: { nextCursor: rows.length > limit ? String(page[page.length - 1].seq) : null },
    };
  }

  async rate(
    caller: Caller,
    conversationId: string,
    messageId: string,
    input: FeedbackDto,
  ): Promise<StoredFeedbackDto> {
    await this.conversations.get(caller, conversationId);
    const message = await this.messages.findOneBy({ id: messageId, conversationId });
    if (!message) throw new NotFoundException('No such message in this conversation.');
    await this.feedback.upsert(
      { messageId, userId: caller.id, rating: input.rating, comment: input.comment ?? null },
      ['messageId', 'userId'],
    );
    const saved = await this.feedback.findOneByOrFail({ messageId, userId: caller.id });
    return {
      id: saved.id,
      messageId,
      rating: saved.rating,
      comment: saved.comment,
      createdAt: saved.createdAt,
    };
  }

  /** The whole conversation for a download, as JSON or Markdown. */
  async export(caller: Caller, conversationId: string, format: 'json' | 'md'): Promise<string> {
    const conversation = await this.conversations.get(caller, conversationId);
    const messages = (
      await this.messages.find({ where: { conversationId }, order: { seq: 'ASC' } })
    ).map(MessageDto.from);
    if (format === 'json') {
      const body: ConversationExportDto = {
        conversation: ConversationDto.from(conversation),
        messages,
      };
      return JSON.stringify(body, null, 2);
    }
    const lines = [`# ${conversation.title ?? 'Conversation'}`, ''];
    if (conversation.systemPrompt) lines.push(`> System: ${conversation.systemPrompt}`, '');
    for (const m of messages) {
      lines.push(`## ${m.role} — ${new Date(m.createdAt).toISOString()}`, '', m.content, '');
      if (m.citations?.length)
        lines.push(...m.citations.map((c, i) => `[${i + 1}] ${c.documentId} (${c.score})`), '');
    }
    return lines.join('\n');
  }

  private idempotent(
    caller: Caller,
    conversationId: string,
    input: PostMessageDto,
    key: string | undefined,
  ): IdempotentRequest {
    return {
      ownerId: caller.id,
      scope: `POST messages:${conversationId}`,
      key,
      fingerprint: fingerprintOf(input),
    };
  }

  private async activeConversation(caller: Caller, id: string): Promise<Conversation> {
    const conversation = await this.conversations.getWritable(caller, id);
    if (conversation.status !== ConversationStatus.Active) {
      throw new ConflictException(`The conversation is ${conversation.status}; reopen it to post.`);
    }
    return conversation;
  }

  /**
   * The context for the model: the system prompt, passages of the conversation's collection that
   * match the question, and as many recent messages as fit the token budget. The providers are
   * called on the caller's own keys, when they stored some.
   */
  private async prepare(
    caller: Caller,
    conversation: Conversation,
    content: string,
  ): Promise<PreparedTurn> {
    // Over quota, refuse before the provider works on a reply that could not be stored.
    await this.usage.assertRoom(conversation.ownerId, 'messages');
    await this.usage.assertRoom(conversation.ownerId, 'tokens', countTokens(content));
    const [passages, apiKey] = await Promise.all([
      this.passagesFor(conversation, content, caller.id),
      this.providerKeys.keyFor(caller.id, ProviderKind.Chat),
    ]);
    const system = conversation.systemPrompt
      ? [{ role: 'system' as const, content: conversation.systemPrompt }]
      : [];
    const fixed = [...system.map((m) => m.content), ...passages.map((p) => p.text), content].reduce(
      (sum, text) => sum + countTokens(text),
      0,
    );
    const history = await this.messages.find({
      where: { conversationId: conversation.id },
      order: { seq: 'DESC' },
      take: 50,
    });
    const recent = recentWithin(
      history.reverse(),
      this.config.chat.contextTokens - fixed,
      (m) => m.tokens,
    );
    return {
      conversation,
      content,
      passages,
      apiKey,
      messages: [
        ...system,
        ...recent.map(({ role, content: text }) => ({ role, content: text })),
        { role: 'user', content },
      ],
    };
  }

  private async passagesFor(
    conversation: Conversation,
    question: string,
    requesterId: string,
  ): Promise<RetrievedPassage[]> {
    if (!conversation.collectionId) return [];
    try {
      const hits = await this.embeddings.search(
        { id: conversation.ownerId, role: UserRole.User },
        conversation.collectionId,
        { query: question, topK: PASSAGES },
        requesterId,
      );
      return hits.map(({ documentId, chunkId, text, score }) => ({
        documentId,
        chunkId,
        text,
        score,
      }));
    } catch (error) {
      // A deleted collection leaves the conversation answering without documents.
      if (error instanceof NotFoundException) return [];
      throw error;
    }
  }

  private userMessage(content: string): Partial<Message> {
    return {
      role: MessageRole.User,
      content,
      tokens: countTokens(content),
      latencyMs: null,
      citations: null,
      model: null,
    };
  }

  /**
   * Stores a turn with its count in one transaction: the owner's `messages` (the one posted)
   * and `tokens` (of every message stored). Over quota it is 402 and nothing is stored.
   */
  private store(
    conversation: Pick<Conversation, 'id' | 'ownerId'>,
    messages: Partial<Message>[],
  ): Promise<Message[]> {
    const conversationId = conversation.id;
    return this.dataSource.transaction(async (manager) => {
      const saved: Message[] = [];
      for (const message of messages)
        saved.push(await manager.save(manager.create(Message, { ...message, conversationId })));
      const tokens = saved.reduce((sum, message) => sum + message.tokens, 0);
      await this.usage.reserve(
        manager,
        conversation.ownerId,
        'messages',
        1,
        `message:${saved[0].id}`,
      );
      await this.usage.reserve(
        manager,
        conversation.ownerId,
        'tokens',
        tokens,
        `tokens:${saved[0].id}`,
      );
      await manager.query('UPDATE conversations SET updated_at = now() WHERE id = $1', [
        conversationId,
      ]);
      return saved;
    });
  }
}
