import { BullModule } from '@nestjs/bull';
import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../../config/app-config';
import { AuditModule } from '../audit/audit.module';
import { UsersModule } from '../users/users.module';
import { BillingAdminController } from './billing-admin.controller';
import { BillingPeriodsProcessor } from './billing-periods.processor';
import { BILLING_QUEUE } from './billing-queue';
import { BillingController } from './billing.controller';
import { Clock } from './clock';
import { CreditsService } from './credits.service';
import { CreditEntry } from './entities/credit-entry.entity';
import { InvoiceLine } from './entities/invoice-line.entity';
import { Invoice } from './entities/invoice.entity';
import { Plan } from './entities/plan.entity';
import { StripeEvent } from './entities/stripe-event.entity';
import { Subscription } from './entities/subscription.entity';
import { UsageCounter } from './entities/usage-counter.entity';
import { UsageEvent } from './entities/usage-event.entity';
import { InvoicesService } from './invoices.service';
import { PaymentProvider } from './payment-provider';
import { PlanRateLimits } from './plan-rate-limits';
import { PlanTierCache } from './plan-tier-cache';
import { PlansService } from './plans.service';
import { StripePaymentProvider } from './stripe-payment.provider';
import { StripeWebhookController } from './stripe-webhook.controller';
import { StripeWebhooksService } from './stripe-webhooks.service';
import { SubscriptionsService } from './subscriptions.service';
import { UsageMeter } from './usage-meter';
import { UsageReportService } from './usage-report.service';

/**
 * Plans, subscriptions, metering and quotas, credits, invoices and Stripe. Global, so the
 * modules whose work is metered (jobs, media, conversations, embeddings) inject UsageMeter in
 * every process role; the routes where the API runs, the period-closing job where workers do.
 */
@Module({})
export class BillingModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: BillingModule,
      global: true,
      imports: [
        TypeOrmModule.forFeature([
          Plan,
          Subscription,
          UsageEvent,
          UsageCounter,
          CreditEntry,
          Invoice,
          InvoiceLine,
          StripeEvent,
        ]),
        BullModule.registerQueue({ name: BILLING_QUEUE }),
        AuditModule,
        UsersModule,
      ],
      controllers: config.runsApi
        ? [BillingController, BillingAdminController, StripeWebhookController]
        : [],
      providers: [
        Clock,
        PlanTierCache,
        PlansService,
        SubscriptionsService,
        CreditsService,
        UsageMeter,
        UsageReportService,
        InvoicesService,
        StripeWebhooksService,
        PlanRateLimits,
        ...(config.billing.stripe
          ? [
              {
                provide: PaymentProvider,
                useValue: new StripePaymentProvider(config.billing.stripe),
              },
            ]
          : []),
        ...(config.runsWorker ? [BillingPeriodsProcessor] : []),
      ],
      exports: [UsageMeter],
    };
  }
}
