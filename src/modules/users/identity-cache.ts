import { Inject, Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfig } from '../../config/app-config';
import { BroadcastCache } from '../../infra/redis/broadcast-cache';
import { REDIS } from '../../infra/redis/redis.module';

/**
 * The identity the authentication guard loads on every request, cached per process; every
 * change to a user drops it on every instance at once.
 */
@Injectable()
export class IdentityCache<T = unknown> extends BroadcastCache<T> {
  constructor(@Inject(REDIS) redis: Redis, config: AppConfig) {
    super(redis, `${config.redis.prefix}:users:changed`, config.auth.identityCacheTtlSec * 1000);
  }
}
