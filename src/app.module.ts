import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { AuthenticationGuard } from './common/auth/authentication.guard';
import { ProblemFilter } from './common/problem/problem.filter';
import { createValidationPipe } from './common/validation/validation.pipe';
import { AppConfig } from './config/app-config';
import { KilnConfigModule } from './config/config.module';
import { DatabaseModule } from './infra/database/database.module';
import { LifecycleModule } from './infra/lifecycle/lifecycle.module';
import { LoggingModule } from './infra/logging/logging.module';
import { QueueModule } from './infra/queue/queue.module';
import { RedisModule } from './infra/redis/redis.module';
import { StorageModule } from './infra/storage/storage.module';
import { HealthModule } from './modules/health/health.module';
import { MetricsModule } from './modules/metrics/metrics.module';

/**
 * The whole application for one process role: infrastructure and probes always; the feature
 * API for `api` and `all`; queue processors for `worker` and `all`.
 */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
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
      ],
      providers: [
        { provide: APP_FILTER, useClass: ProblemFilter },
        { provide: APP_GUARD, useClass: AuthenticationGuard },
        { provide: APP_PIPE, useFactory: createValidationPipe },
      ],
    };
  }
}
