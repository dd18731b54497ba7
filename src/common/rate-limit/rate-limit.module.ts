import { Global, Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import Redis from 'ioredis';
import { AppConfig } from '../../config/app-config';
import { REDIS } from '../../infra/redis/redis.module';
import { RateLimitGuard } from './rate-limit.guard';
import { RateLimitPolicy } from './rate-limit.policy';
import { RedisThrottlerStorage } from './redis-throttler.storage';

@Global()
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [AppConfig, REDIS],
      useFactory: (config: AppConfig, redis: Redis) => ({
        throttlers: [{ limit: config.rateLimit.default, ttl: config.rateLimit.windowSec * 1000 }],
        storage: new RedisThrottlerStorage(redis),
        errorMessage: 'Too many requests; try again after the time in Retry-After.',
      }),
    }),
  ],
  providers: [RateLimitPolicy, RateLimitGuard],
  exports: [RateLimitPolicy, RateLimitGuard],
})
export class RateLimitModule {}
