import { Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfig } from '../../config/app-config';
import { redisOptionsFromUrl } from './redis-options';

export const REDIS = Symbol('REDIS');

/**
 * Every key Kiln writes lives under REDIS_PREFIX, so instances and test runs can share a server.
 * A lost connection is logged once, not once per reconnection attempt.
 */
export function createRedisClient(config: AppConfig): Redis {
  const logger = new Logger('Redis');
  const client = new Redis({
    ...redisOptionsFromUrl(config.redis.url),
    keyPrefix: `${config.redis.prefix}:`,
    maxRetriesPerRequest: 2,
    connectTimeout: 2000,
    // Commands issued in the same tick (rate-limit checks of concurrent requests) share one
    // socket write; a write per command was a large part of a small request's CPU here.
    enableAutoPipelining: true,
  });
  let down = false;
  client.on('error', (error: Error) => {
    if (down) return;
    down = true;
    logger.warn(`Redis connection lost: ${error.message}; reconnecting`);
  });
  client.on('ready', () => {
    if (down) logger.log('Redis connection restored');
    down = false;
  });
  return client;
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
