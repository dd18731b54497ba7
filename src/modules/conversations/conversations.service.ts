import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Actor } from '../../common/auth/authenticated-user';
import { assertCanRead, assertCanWrite } from '../../common/auth/ownership';
import { containsPattern } from '../../common/pagination/like-pattern';
import { Page, pageOffset, toPage } from '../../common/pagination/page-query.dto';
import { EmbeddingsService } from '../embeddings/embeddings.service';
import { ProjectsService } from '../projects/projects.service';
import { ConversationsSummaryDto, ConversationStatsDto } from './dto/conversation-stats.dto';
import {
  CreateConversationDto,
  ListConversationsQuery,
  UpdateConversationDto,
} from './dto/conversation.dto';
import { Conversation, ConversationStatus } from './entities/conversation.entity';
import { Message } from './entities/message.entity';

type Caller = Pick<Actor, 'id' | 'role'>;

@Injectable()
export class ConversationsService {
  constructor(
    @InjectRepository(Conversation) private readonly conversations: Repository<Conversation>,
    @InjectRepository(Message) private readonly messages: Repository<Message>,
    private readonly projects: ProjectsService,
    private readonly embeddings: EmbeddingsService,
  ) {
    projects.contributeStats(async (projectId) => ({
      conversations: { count: await this.conversations.countBy({ projectId }) },
    }));
  }

  async create(caller: Caller, input: CreateConversationDto): Promise<Conversation> {
    if (input.projectId) await this.projects.assertCanAddTo(caller, input.projectId);
    // The collection must be one the caller may read (404 or 403 otherwise).
    if (input.collectionId) await this.embeddings.getCollection(caller, input.collectionId);
    return this.conversations.save(
      this.conversations.create({
        ownerId: caller.id,
        projectId: input.projectId ?? null,
        title: input.title ?? null,
        systemPrompt: input.systemPrompt ?? null,
        model: input.model ?? null,
        collectionId: input.collectionId ?? null,
      }),
    );
  }

  async list(caller: Caller, query: ListConversationsQuery): Promise<Page<Conversation>> {
    const qb = this.conversations
      .createQueryBuilder('c')
      .where('c.ownerId = :ownerId', { ownerId: caller.id });
    if (query.projectId) qb.andWhere('c.projectId = :projectId', { projectId: query.projectId });
    if (query.status) qb.andWhere('c.status = :status', { status: query.status });
    if (query.search)
      qb.andWhere('c.title ILIKE :search', { search: containsPattern(query.search) });
    const [data, total] = await qb
      .orderBy('c.updatedAt', 'DESC')
      .addOrderBy('c.id', 'ASC')
      .skip(pageOffset(query))
      .take(query.limit)
      .getManyAndCount();
    return toPage(data, total, query);
  }

  async get(caller: Caller, id: string): Promise<Conversation> {
    const conversation = await this.find(id);
    assertCanRead(caller, conversation.ownerId);
    return conversation;
  }

  async getWritable(caller: Caller, id: string): Promise<Conversation> {
    const conversation = await this.find(id);
    assertCanWrite(caller, conversation.ownerId);
    return conversation;
  }

  async update(caller: Caller, id: string, changes: UpdateConversationDto): Promise<Conversation> {
    const conversation = await this.getWritable(caller, id);
    Object.assign(conversation, changes);
    return this.conversations.save(conversation);
  }

  /** Archives it, or with `hard` deletes it and its messages for good. */
  async remove(caller: Caller, id: string, hard: boolean): Promise<void> {
    await this.getWritable(caller, id);
    if (hard) await this.conversations.delete({ id });
    else await this.conversations.update({ id }, { status: ConversationStatus.Archived });
  }

  async stats(caller: Caller, id: string): Promise<ConversationStatsDto> {
    await this.get(caller, id);
    const [row] = (await this.messages.query(
      `SELECT count(*) FILTER (WHERE role = 'user')::int AS user_messages,
              count(*) FILTER (WHERE role = 'assistant')::int AS assistant_messages,
              count(*) FILTER (WHERE role = 'system')::int AS system_messages,
              coalesce(sum(tokens) FILTER (WHERE role = 'user'), 0)::int AS user_tokens,
              coalesce(sum(tokens) FILTER (WHERE role = 'assistant'), 0)::int AS assistant_tokens,
              avg(latency_ms) FILTER (WHERE role = 'assistant')::float AS mean_latency,
              min(created_at) AS first_at, max(created_at) AS last_at
         FROM messages WHERE conversation_id = $1`,
      [id],
    )) as {
      user_messages: number;
      assistant_messages: number;
      system_messages: number;
      user_tokens: number;
      assistant_tokens: number;
      mean_latency: number | null;
      first_at: Date | null;
      last_at: Date | null;
    }[];
    return {
      conversationId: id,
      messagesByRole: {
        user: row.user_messages,
        assistant: row.assistant_messages,
        system: row.system_messages,
      },
      tokens: {
        user: row.user_tokens,
        assistant: row.assistant_tokens,
        total: row.user_tokens + row.assistant_tokens,
      },
      meanReplyLatencyMs: row.mean_latency === null ? null : Math.round(row.mean_latency),
      firstMessageAt: row.first_at,
      lastMessageAt: row.last_at,
    };
  }

  /** The caller's totals: conversations by status, and messages on each of the last 30 days. */
  async summary(caller: Caller): Promise<ConversationsSummaryDto> {
    const byStatus = Object.fromEntries(
      Object.values(ConversationStatus).map((s) => [s, 0]),
    ) as Record<ConversationStatus, number>;
    const counts = (await this.conversations.query(
      'SELECT status, count(*)::int AS count FROM conversations WHERE owner_id = $1 GROUP BY status',
      [caller.id],
    )) as { status: ConversationStatus; count: number }[];
    for (const row of counts) byStatus[row.status] = row.count;
    const days = (await this.messages.query(
      `SELECT to_char(day, 'YYYY-MM-DD') AS date, count(m.id)::int AS count
         FROM generate_series((now() AT TIME ZONE 'UTC')::date - 29, (now() AT TIME ZONE 'UTC')::date, '1 day') AS day
         LEFT JOIN messages m ON (m.created_at AT TIME ZONE 'UTC')::date = day
          AND m.conversation_id IN (SELECT id FROM conversations WHERE owner_id = $1)
        GROUP BY day ORDER BY day`,
      [caller.id],
    )) as { date: string; count: number }[];
    return {
      conversations: { byStatus, total: counts.reduce((sum, row) => sum + row.count, 0) },
      messagesPerDay: days,
    };
  }

  private async find(id: string): Promise<Conversation> {
    const conversation = await this.conversations.findOneBy({ id });
    if (!conversation) throw new NotFoundException('No such conversation.');
    return conversation;
  }
}
