import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfig } from '../../config/app-config';
import { redisOptionsFromUrl } from './redis-options';

export const REDIS = Symbol('REDIS');

/** Every key Kiln writes lives under REDIS_PREFIX, so instances and test runs can share a server. */
export function createRedisClient(config: AppConfig): Redis {
  return new Redis({
    ...redisOptionsFromUrl(config.redis.url),
    keyPrefix: `${config.redis.prefix}:`,
    maxRetriesPerRequest: 2,
    connectTimeout: 2000,
  });
}

@Global()
@Module({
  providers: [{ provide: REDIS, inject: [AppConfig], useFactory: createRedisClient }],
  exports: [REDIS],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
