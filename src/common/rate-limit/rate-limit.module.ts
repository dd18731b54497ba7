import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { Global, Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import Redis from 'ioredis';
import { AppConfig } from '../../config/app-config';
import { REDIS } from '../../infra/redis/redis.module';
import { RateLimitGuard } from './rate-limit.guard';
import { RateLimitPolicy } from './rate-limit.policy';

@Global()
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [AppConfig, REDIS],
      useFactory: (config: AppConfig, redis: Redis) => ({
        throttlers: [{ limit: config.rateLimit.default, ttl: config.rateLimit.windowSec * 1000 }],
        storage: new ThrottlerStorageRedisService(redis),
        errorMessage: 'Too many requests; try again after the time in Retry-After.',
      }),
    }),
  ],
  providers: [RateLimitPolicy, RateLimitGuard],
  exports: [RateLimitPolicy, RateLimitGuard],
})
export class RateLimitModule {}
