import { Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { MetricsService } from '../metrics/metrics.service';
import { DeliveryStatus } from './entities/webhook-delivery.entity';

/** What an attempt means for its delivery: done, to be tried again, or given up. */
const OUTCOME_OF: Record<DeliveryStatus, string> = {
  [DeliveryStatus.Succeeded]: 'succeeded',
  [DeliveryStatus.Pending]: 'retrying',
  [DeliveryStatus.Failed]: 'failed',
};

/** Counts webhook delivery attempts in workers, by outcome. */
@Injectable()
export class WebhookMetrics {
  private readonly attempts: Counter<'outcome'>;

  constructor(metrics: MetricsService) {
    this.attempts = new Counter({
      name: 'kiln_webhook_delivery_attempts_total',
      help: 'Webhook delivery attempts by outcome: succeeded, retrying (failed, will be tried again) or failed (the last attempt failed)',
      labelNames: ['outcome'] as const,
      registers: [metrics.registry],
    });
  }

  /** Counts an attempt by the status it left its delivery in. */
  attempted(status: DeliveryStatus): void {
    this.attempts.inc({ outcome: OUTCOME_OF[status] });
  }
}
