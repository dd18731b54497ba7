import { DynamicModule, Module, Provider } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { AuthenticationGuard } from './common/auth/authentication.guard';
import { RolesGuard } from './common/auth/roles.guard';
import { ProblemFilter } from './common/problem/problem.filter';
import { RateLimitGuard } from './common/rate-limit/rate-limit.guard';
import { RateLimitModule } from './common/rate-limit/rate-limit.module';
import { createValidationPipe } from './common/validation/validation.pipe';
import { AppConfig } from './config/app-config';
import { KilnConfigModule } from './config/config.module';
import { DatabaseModule } from './infra/database/database.module';
import { LifecycleModule } from './infra/lifecycle/lifecycle.module';
import { LoggingModule } from './infra/logging/logging.module';
import { QueueModule } from './infra/queue/queue.module';
import { RedisModule } from './infra/redis/redis.module';
import { StorageModule } from './infra/storage/storage.module';
import { AuditModule } from './modules/audit/audit.module';
import { AuthModule } from './modules/auth/auth.module';
import { BillingModule } from './modules/billing/billing.module';
import { ConversationsModule } from './modules/conversations/conversations.module';
import { EmbeddingsModule } from './modules/embeddings/embeddings.module';
import { HealthModule } from './modules/health/health.module';
import { JobsModule } from './modules/jobs/jobs.module';
import { MediaModule } from './modules/media/media.module';
import { MetricsModule } from './modules/metrics/metrics.module';
import { ProjectsModule } from './modules/projects/projects.module';
import { ProviderKeysModule } from './modules/provider-keys/provider-keys.module';
import { QueueDashboardModule } from './modules/queue-dashboard/queue-dashboard.module';
import { UsersModule } from './modules/users/users.module';
import { WebhooksModule } from './modules/webhooks/webhooks.module';

/** The feature API, served by the `api` and `all` roles. */
const API_MODULES = [
  RateLimitModule,
  AuditModule,
  UsersModule,
  AuthModule,
  ProjectsModule,
  ProviderKeysModule,
  MediaModule,
  EmbeddingsModule,
  ConversationsModule,
  QueueDashboardModule,
];

/**
 * The whole application for one process role: infrastructure, probes, and the modules whose
 * queues both sides use; the rest of the feature API for `api` and `all`; queue processors
 * (inside JobsModule and WebhooksModule) for `worker` and `all`. A worker answers only its
 * probes and metrics over HTTP (src/http/request-hooks.ts).
 */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    // Global guards run in this order: who is calling, how often, and may they.
    const guards: Provider[] = [
      { provide: APP_GUARD, useClass: AuthenticationGuard },
      ...(config.runsApi ? [{ provide: APP_GUARD, useExisting: RateLimitGuard }] : []),
      { provide: APP_GUARD, useClass: RolesGuard },
    ];
    return {
      module: AppModule,
      imports: [
        KilnConfigModule.forRoot(config),
        LoggingModule.forRoot(config),
        LifecycleModule,
        DatabaseModule.forRoot(config),
        RedisModule,
        QueueModule,
        StorageModule,
        HealthModule,
        MetricsModule,
        WebhooksModule.forRoot(config, config.webhooks),
        BillingModule.forRoot(config),
        JobsModule.forRoot(config),
        ...(config.runsApi ? API_MODULES : []),
      ],
      providers: [
        { provide: APP_FILTER, useClass: ProblemFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
        ...guards,
      ],
    };
  }
}
