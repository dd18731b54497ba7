import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { pgPool } from '../../infra/database/pg-pool';
import { BroadcastCache } from '../../infra/redis/broadcast-cache';
import { REDIS } from '../../infra/redis/redis.module';
import { RateLimitTier } from './rate-limit-tiers';

const TTL_MS = 60_000;

const TIER_QUERY = `SELECT p.rate_limit_tier AS tier FROM plans p
  LEFT JOIN subscriptions s ON s.user_id = $1
  WHERE p.id = COALESCE(s.plan_id, (SELECT id FROM plans WHERE code = $2))`;

/**
 * The rate-limit tier of each caller's plan, read on every request by the rate-limit guard:
 * cached per process, and dropped on every instance at once when a user's plan or a plan's tier
 * changes (invalidate(userId) for a user's plan, invalidateAll() for a plan's tier). Uncached,
 * a lookup is one named statement.
 */
@Injectable()
export class PlanTierCache extends BroadcastCache<RateLimitTier> {
  constructor(
    @Inject(REDIS) redis: Redis,
    @InjectDataSource() private readonly dataSource: DataSource,
    config: AppConfig,
  ) {
    super(redis, `${config.redis.prefix}:billing:tiers-changed`, TTL_MS);
  }

  /** The tier, synchronously when it is cached. */
  tierOf(userId: string, defaultPlanCode: string): RateLimitTier | Promise<RateLimitTier> {
    return this.get(userId) ?? this.load(userId, defaultPlanCode);
  }

  private async load(userId: string, defaultPlanCode: string): Promise<RateLimitTier> {
    const { rows } = await pgPool(this.dataSource).query<{ tier: RateLimitTier }>({
      name: 'billing.plan-tier',
      text: TIER_QUERY,
      values: [userId, defaultPlanCode],
    });
    const tier = rows[0]?.tier ?? RateLimitTier.Standard;
    this.set(userId, tier);
    return tier;
  }
}
