import { Process, Processor } from '@nestjs/bull';
import type { Job } from 'bull';
import { WebhookDeliverer } from './webhook-deliverer';
import { DeliveryJob, WEBHOOKS_QUEUE } from './webhooks-queue';

/** Deliveries wait on the network, not the CPU, so one worker runs several at once. */
const DELIVERY_CONCURRENCY = 10;

/** Runs queued deliveries in the worker role; Bull retries a failed one with backoff. */
@Processor(WEBHOOKS_QUEUE)
export class WebhookDeliveryProcessor {
  constructor(private readonly deliverer: WebhookDeliverer) {}

  @Process({ concurrency: DELIVERY_CONCURRENCY })
  async deliver(job: Job<DeliveryJob>): Promise<void> {
    // attemptsMade counts the failed runs before this one.
    const isLastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    await this.deliverer.attempt(job.data.deliveryId, isLastAttempt);
  }
}
