import { BullModule } from '@nestjs/bull';
import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../../config/app-config';
import { SecretBoxModule } from '../../infra/crypto/secret-box.module';
import { MetricsModule } from '../metrics/metrics.module';
import { WebhookDelivery } from './entities/webhook-delivery.entity';
import { Webhook } from './entities/webhook.entity';
import { WebhookDeliverer } from './webhook-deliverer';
import { WebhookDeliveryProcessor } from './webhook-delivery.processor';
import { WebhookDeliverySweep } from './webhook-delivery.sweep';
import { WebhookMetrics } from './webhook-metrics';
import { WebhookSecrets } from './webhook-secrets';
import { WebhooksController } from './webhooks.controller';
import { WebhooksService } from './webhooks.service';
import { WEBHOOKS_OPTIONS, WebhooksOptions } from './webhooks-options';
import { WEBHOOKS_QUEUE } from './webhooks-queue';

/**
 * Webhooks for every process role: the HTTP routes where the API runs, the delivery processor
 * where the worker runs, and WebhooksService.recordEvent() in both (jobs finish in the worker).
 * Global, so the jobs module can inject WebhooksService without importing it with its options.
 */
@Module({})
export class WebhooksModule {
  static forRoot(config: AppConfig, options: WebhooksOptions): DynamicModule {
    return {
      module: WebhooksModule,
      global: true,
      imports: [
        TypeOrmModule.forFeature([Webhook, WebhookDelivery]),
        BullModule.registerQueue({ name: WEBHOOKS_QUEUE }),
        MetricsModule,
        SecretBoxModule,
      ],
      controllers: config.runsApi ? [WebhooksController] : [],
      providers: [
        { provide: WEBHOOKS_OPTIONS, useValue: options },
        WebhooksService,
        WebhookSecrets,
        ...(config.runsWorker
          ? [WebhookDeliverer, WebhookDeliveryProcessor, WebhookDeliverySweep, WebhookMetrics]
          : []),
      ],
      exports: [WebhooksService],
    };
  }
}
