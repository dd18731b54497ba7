import { ThrottlerStorage } from '@nestjs/throttler';
import { Logger } from '@nestjs/common';
import Redis from 'ioredis';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * A fixed window per key, and a block once the limit is passed. Returns
 * { hits, window ms left, blocked (0/1), block ms left }.
 */
const INCREMENT_SCRIPT = `
local blockLeft = redis.call('PTTL', KEYS[2])
if blockLeft > 0 then
  return { tonumber(redis.call('GET', KEYS[1]) or '0'), redis.call('PTTL', KEYS[1]), 1, blockLeft }
end
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local windowLeft = redis.call('PTTL', KEYS[1])
if hits > tonumber(ARGV[2]) then
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
  return { hits, windowLeft, 1, tonumber(ARGV[3]) }
end
return { hits, windowLeft, 0, 0 }
`;

type ThrottleClient = Redis & {
  kilnThrottle(
    hitsKey: string,
    blockKey: string,
    ttlMs: number,
    limit: number,
    blockMs: number,
  ): Promise<[number, number, number, number]>;
};

/**
 * Rate-limit counters in Redis, shared by every instance. The script is registered once and
 * then called by its SHA: sending its text with every request cost a tenth of the CPU of a
 * small authenticated request here.
 */
export class RedisThrottlerStorage implements ThrottlerStorage {
  private readonly logger = new Logger(RedisThrottlerStorage.name);
  private readonly redis: ThrottleClient;

  constructor(redis: Redis) {
    redis.defineCommand('kilnThrottle', { numberOfKeys: 2, lua: INCREMENT_SCRIPT });
    this.redis = redis as ThrottleClient;
  }

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    // Without Redis the limits cannot be counted; requests are let through rather than refused,
    // so that everything that does not need Redis keeps working through the outage.
    if (this.redis.status !== 'ready') return this.unlimited(ttl);
    const base = `throttle:${throttlerName}:${key}`;
    let reply: [number, number, number, number];
    try {
      reply = await this.redis.kilnThrottle(
        `${base}:hits`,
        `${base}:blocked`,
        ttl,
        limit,
        blockDuration,
      );
    } catch (error) {
      this.logger.warn(`Rate limit not counted: ${(error as Error).message}`);
      return this.unlimited(ttl);
    }
    const [hits, windowLeftMs, blocked, blockLeftMs] = reply;
    return {
      totalHits: hits,
      timeToExpire: Math.ceil(Math.max(windowLeftMs, 0) / 1000),
      isBlocked: blocked === 1,
      timeToBlockExpire: Math.ceil(blockLeftMs / 1000),
    };
  }

  private unlimited(ttlMs: number): ThrottlerStorageRecord {
    return {
      totalHits: 0,
      timeToExpire: Math.ceil(ttlMs / 1000),
      isBlocked: false,
      timeToBlockExpire: 0,
    };
  }
}
