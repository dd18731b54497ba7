import { InjectQueue } from '@nestjs/bull';
import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Queue } from 'bull';
import { randomUUID } from 'node:crypto';
import { EntityManager, LessThan, Repository } from 'typeorm';
import { Actor } from '../../common/auth/authenticated-user';
import { assertCanRead, assertCanWrite } from '../../common/auth/ownership';
import { Page, pageOffset, PageQueryDto, toPage } from '../../common/pagination/page-query.dto';
import { ProblemException } from '../../common/problem/problem.exception';
import { namedQuery } from '../../infra/database/pg-client';
import { DeliveryStatus, WebhookDelivery } from './entities/webhook-delivery.entity';
import { Webhook } from './entities/webhook.entity';
import { WebhookEvent } from './webhook-events';
import { WebhookSecrets } from './webhook-secrets';
import { newWebhookSecret } from './webhook-signature';
import { resolveTarget, TargetRefusedError } from './webhook-target';
import { DeliveryJob, WEBHOOKS_QUEUE } from './webhooks-queue';
import { WEBHOOKS_OPTIONS, WebhooksOptions } from './webhooks-options';

/**
 * Each event fans out to every matching webhook of its owner; a cap keeps one account from
 * turning a job into hundreds of outgoing requests. It also keeps GET /webhooks a short list,
 * which is why that list is not paginated. (Two creations racing may both pass the count; the
 * cap is a guard against abuse, not an invariant.)
 */
export const MAX_WEBHOOKS_PER_OWNER = 20;

/** $1 owner, $2 event, $3 event id, $4 body (the exact bytes to send, so text, not jsonb). */
const RECORD_EVENT = `
  INSERT INTO webhook_deliveries (webhook_id, event_id, type, body)
  SELECT w.id, $3::uuid, $2::text, $4::text
  FROM webhooks w WHERE w.owner_id = $1::uuid AND $2::text = ANY(w.events)
  RETURNING id`;

export const TARGET_REFUSED_PROBLEM = 'https://kiln.dev/problems/webhook-target-refused';

export interface NewWebhook {
  url: string;
  events: WebhookEvent[];
}

@Injectable()
export class WebhooksService {
  constructor(
    @InjectRepository(Webhook) private readonly webhooks: Repository<Webhook>,
    @InjectRepository(WebhookDelivery) private readonly deliveries: Repository<WebhookDelivery>,
    @InjectQueue(WEBHOOKS_QUEUE) private readonly queue: Queue<DeliveryJob>,
    @Inject(WEBHOOKS_OPTIONS) private readonly options: WebhooksOptions,
    private readonly secrets: WebhookSecrets,
  ) {}

  /** Registers a webhook; its signing secret is returned here and never again. */
  async create(ownerId: string, input: NewWebhook): Promise<{ webhook: Webhook; secret: string }> {
    if ((await this.webhooks.countBy({ ownerId })) >= MAX_WEBHOOKS_PER_OWNER) {
      throw new ConflictException(
        `An account may have at most ${MAX_WEBHOOKS_PER_OWNER} webhooks; delete one to add another.`,
      );
    }
    await this.assertAllowedTarget(input.url);
    // The id is chosen here: the secret is sealed for it before the row is written.
    const id = randomUUID();
    const secret = newWebhookSecret();
    const webhook = this.webhooks.create({
      id,
      ownerId,
      url: input.url,
      events: [...new Set(input.events)],
      secret: this.secrets.seal(id, secret),
    });
    await this.webhooks.insert(webhook);
    return { webhook, secret };
  }

  list(ownerId: string): Promise<Webhook[]> {
    return this.webhooks.find({ where: { ownerId }, order: { createdAt: 'DESC' } });
  }

  /** Deletes a webhook and, with it, its deliveries; queued attempts then find nothing to send. */
  async remove(actor: Pick<Actor, 'id' | 'role'>, id: string): Promise<void> {
    assertCanWrite(actor, (await this.findOrFail(id)).ownerId);
    await this.webhooks.delete({ id });
  }

  async listDeliveries(
    actor: Pick<Actor, 'id' | 'role'>,
    webhookId: string,
    query: PageQueryDto & { status?: DeliveryStatus },
  ): Promise<Page<WebhookDelivery>> {
    assertCanRead(actor, (await this.findOrFail(webhookId)).ownerId);
    const [rows, total] = await this.deliveries.findAndCount({
      where: { webhookId, ...(query.status ? { status: query.status } : {}) },
      order: { createdAt: 'DESC', id: 'DESC' },
      skip: pageOffset(query),
      take: query.limit,
    });
    return toPage(rows, total, query);
  }

  /**
   * Writes one delivery row for each of the owner's webhooks that subscribe to `event`, all with
   * the same body (and so the same event id), in the caller's transaction: written with the change
   * they report, they cannot be lost to a crash before they are queued (the sweep queues them).
   * One statement, so an owner without webhooks costs nothing more. Returns the deliveries'
   * ids, for queueDeliveries() once the transaction has committed.
   */
  async recordEvent(
    manager: EntityManager,
    ownerId: string,
    event: WebhookEvent,
    data: object,
  ): Promise<string[]> {
    const eventId = randomUUID();
    const body = JSON.stringify({ id: eventId, type: event, createdAt: new Date(), data });
    const rows = await namedQuery<{ id: string }>(manager, 'webhooks.record-event', RECORD_EVENT, [
      ownerId,
      event,
      eventId,
      body,
    ]);
    return rows.map(({ id }) => id);
  }

  /**
   * Puts back on the queue the pending deliveries Redis no longer holds (lost with Redis, or
   * never queued because Redis failed after the rows were written); returns how many.
   */
  async sweep(): Promise<number> {
    const pending = await this.deliveries.find({
      select: { id: true },
      where: { status: DeliveryStatus.Pending, updatedAt: LessThan(new Date(Date.now() - 60_000)) },
      take: 500,
    });
    const lost: string[] = [];
    for (const { id } of pending) if (!(await this.queue.getJob(id))) lost.push(id);
    await this.queueDeliveries(lost);
    return lost.length;
  }

  /** One Bull job per delivery, with the delivery's id as the job id (adding twice adds once). */
  async queueDeliveries(deliveryIds: string[]): Promise<void> {
    if (deliveryIds.length === 0) return;
    await this.queue.addBulk(
      deliveryIds.map((id) => ({
        data: { deliveryId: id },
        opts: {
          jobId: id,
          attempts: this.options.maxAttempts,
          backoff: { type: 'exponential', delay: this.options.backoffMs },
          // The row keeps the outcome and every attempt; Redis need not keep finished jobs.
          removeOnComplete: true,
          removeOnFail: true,
        },
      })),
    );
  }

  private async findOrFail(id: string): Promise<Webhook> {
    const webhook = await this.webhooks.findOneBy({ id });
    if (!webhook) throw new NotFoundException('No such webhook.');
    return webhook;
  }

  /** The first of two checks (delivery checks again, since DNS answers change). */
  private async assertAllowedTarget(url: string): Promise<void> {
    if (this.options.allowPrivateTargets) return;
    try {
      await resolveTarget(url, false);
    } catch (error) {
      if (!(error instanceof TargetRefusedError)) throw error;
      throw new ProblemException(
        400,
        `This webhook URL is not allowed: ${error.message}.`,
        { errors: [{ field: 'url', message: error.message }] },
        TARGET_REFUSED_PROBLEM,
      );
    }
  }
}
