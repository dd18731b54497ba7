import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { WebhooksService } from './webhooks.service';

/** In workers: every JOBS_SWEEP_INTERVAL_MS, re-queue pending deliveries that Redis lost. */
@Injectable()
export class WebhookDeliverySweep implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(WebhookDeliverySweep.name);
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly webhooks: WebhooksService,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.run(), this.config.jobs.sweepIntervalMs);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  private async run(): Promise<void> {
    try {
      const restored = await this.webhooks.sweep();
      if (restored) this.logger.warn(`Re-queued ${restored} webhook deliveries Redis had lost`);
    } catch (error) {
      this.logger.warn(`Webhook sweep stopped: ${(error as Error).message}`);
    }
  }
}
