import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { SecretBoxError } from '../../infra/crypto/secret-box';
import { DeliveryStatus, WebhookDelivery } from './entities/webhook-delivery.entity';
import { Webhook } from './entities/webhook.entity';
import { postWebhook, SendOutcome } from './webhook-sender';
import { signatureHeader } from './webhook-signature';
import { resolveTarget, TargetRefusedError } from './webhook-target';
import { WebhookMetrics } from './webhook-metrics';
import { WebhookSecrets } from './webhook-secrets';
import { WEBHOOKS_OPTIONS, WebhooksOptions } from './webhooks-options';

export const WEBHOOK_USER_AGENT = 'Kiln-Webhooks/1';

/** Thrown after a failed attempt, so that Bull schedules the next one. */
export class DeliveryAttemptFailed extends Error {
  override readonly name = 'DeliveryAttemptFailed';
}

const succeeded = (outcome: SendOutcome): boolean =>
  outcome.statusCode !== null && outcome.statusCode >= 200 && outcome.statusCode < 300;

/** Makes one attempt at a delivery and records it on the delivery's row. */
@Injectable()
export class WebhookDeliverer {
  private readonly logger = new Logger(WebhookDeliverer.name);

  constructor(
    @InjectRepository(WebhookDelivery) private readonly deliveries: Repository<WebhookDelivery>,
    @Inject(WEBHOOKS_OPTIONS) private readonly options: WebhooksOptions,
    private readonly metrics: WebhookMetrics,
    private readonly secrets: WebhookSecrets,
  ) {}

  /**
   * Sends the delivery unless it is already settled (a job may run again after a crash or be
   * queued twice: a delivery that succeeded is never sent again). `isLastAttempt` decides whether
   * a failure is final. Throws DeliveryAttemptFailed when the attempt failed.
   */
  async attempt(deliveryId: string, isLastAttempt: boolean): Promise<void> {
    const delivery = await this.deliveries.findOne({
      where: { id: deliveryId },
      relations: { webhook: true },
    });
    // Gone with its webhook, or settled by an earlier run: nothing to send.
    if (!delivery?.webhook || delivery.status !== DeliveryStatus.Pending) return;

    const outcome = await this.send(delivery, delivery.webhook);
    const ok = succeeded(outcome);
    const status = ok
      ? DeliveryStatus.Succeeded
      : isLastAttempt
        ? DeliveryStatus.Failed
        : DeliveryStatus.Pending;
    this.metrics.attempted(status);
    await this.record(deliveryId, outcome, status);
    if (!ok) {
      throw new DeliveryAttemptFailed(
        outcome.error ?? `the receiver answered ${outcome.statusCode}`,
      );
    }
  }

  private async send(delivery: WebhookDelivery, webhook: Webhook): Promise<SendOutcome> {
    const started = Date.now();
    const failed = (error: string): SendOutcome => ({
      statusCode: null,
      error,
      durationMs: Date.now() - started,
    });
    try {
      // Checked again at every attempt: the host may resolve elsewhere than at registration.
      const target = await resolveTarget(webhook.url, this.options.allowPrivateTargets);
      const headers = {
        'Content-Type': 'application/json',
        'User-Agent': WEBHOOK_USER_AGENT,
        'Kiln-Event': delivery.type,
        'Kiln-Delivery': delivery.id,
        'Kiln-Signature': signatureHeader(this.secrets.open(webhook), delivery.body),
      };
      return await postWebhook(target, headers, delivery.body, this.options.timeoutMs);
    } catch (error) {
      if (error instanceof TargetRefusedError) return failed(`refused: ${error.message}`);
      if (!(error instanceof SecretBoxError)) throw error;
      // Retried as usual: an operator may yet list the key it was sealed under again.
      this.logger.error(`The secret of webhook ${webhook.id} does not open: ${error.message}`);
      return failed('the signing secret can no longer be read; register the webhook again');
    }
  }

  /**
   * One statement, so the attempt count and the log grow together even if two workers ever run
   * the same delivery at once; the attempt's number is taken from the row, not from memory.
   */
  private async record(id: string, outcome: SendOutcome, status: DeliveryStatus): Promise<void> {
    const entry = {
      at: new Date().toISOString(),
      statusCode: outcome.statusCode,
      error: outcome.error,
      durationMs: outcome.durationMs,
    };
    await this.deliveries
      .createQueryBuilder()
      .update()
      .set({
        status,
        attempts: () => 'attempts + 1',
        lastStatusCode: outcome.statusCode,
        lastError: outcome.error,
        lastDurationMs: outcome.durationMs,
        attemptLog: () =>
          `attempt_log || jsonb_build_array(CAST(:entry AS jsonb) || jsonb_build_object('attempt', attempts + 1))`,
      })
      .setParameter('entry', JSON.stringify(entry))
      .where('id = :id', { id })
      .execute();
  }
}
