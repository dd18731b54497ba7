import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import Redis from 'ioredis';
import { REDIS } from '../../infra/redis/redis.module';
import { withTimeout } from './with-timeout';

@Injectable()
export class RedisHealthIndicator {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly indicator: HealthIndicatorService,
  ) {}

  async pingCheck(key: string, timeoutMs: number) {
    const check = this.indicator.check(key);
    try {
      await withTimeout(this.redis.ping(), timeoutMs);
      return check.up();
    } catch (error) {
      return check.down({ message: (error as Error).message });
    }
  }
}
