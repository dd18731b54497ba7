import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { pgPool } from '../../infra/database/pg-pool';
import { REDIS } from '../../infra/redis/redis.module';
import { RateLimitTier } from './rate-limit-tiers';

const TTL_MS = 60_000;
const MAX_ENTRIES = 50_000;
/** Announced instead of a user id when a plan changes: every entry may be stale. */
const EVERYONE = '*';

const TIER_QUERY = `SELECT p.rate_limit_tier AS tier FROM plans p
  LEFT JOIN subscriptions s ON s.user_id = $1
  WHERE p.id = COALESCE(s.plan_id, (SELECT id FROM plans WHERE code = $2))`;

/**
 * The rate-limit tier of each caller's plan, read on every request by the rate-limit guard:
 * kept per process, and dropped on every instance at once (a Redis channel) when a user's plan
 * or a plan's tier changes. Like the identity cache, it is used only while subscribed to that
 * channel; without it every lookup is one named statement.
 */
@Injectable()
export class PlanTierCache implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(PlanTierCache.name);
  private readonly entries = new Map<string, { tier: RateLimitTier; expiresAt: number }>();
  private readonly channel: string;
  private subscriber?: Redis;
  private listening = false;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @InjectDataSource() private readonly dataSource: DataSource,
    config: AppConfig,
  ) {
    this.channel = `${config.redis.prefix}:billing:tiers-changed`;
  }

  onModuleInit(): void {
    const subscriber = this.redis.duplicate({ keyPrefix: undefined, enableAutoPipelining: false });
    this.subscriber = subscriber;
    subscriber.on('message', (_channel: string, userId: string) => {
      if (userId === EVERYONE) this.entries.clear();
      else this.entries.delete(userId);
    });
    subscriber.on('close', () => this.stopListening());
    subscriber.on('error', () => this.stopListening());
    subscriber.on('ready', () => {
      subscriber.subscribe(this.channel).then(
        () => (this.listening = true),
        (error: Error) => this.logger.warn(`Cannot subscribe to ${this.channel}: ${error.message}`),
      );
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopListening();
    await this.subscriber?.quit().catch(() => this.subscriber?.disconnect());
  }

  /** The tier, synchronously when it is cached. */
  tierOf(userId: string, defaultPlanCode: string): RateLimitTier | Promise<RateLimitTier> {
    const entry = this.listening ? this.entries.get(userId) : undefined;
    if (entry && entry.expiresAt > Date.now()) return entry.tier;
    return this.load(userId, defaultPlanCode);
  }

  /** A user's plan changed. */
  forget(userId: string): Promise<void> {
    this.entries.delete(userId);
    return this.announce(userId);
  }

  /** A plan's tier changed: any user may be on it. */
  forgetEveryone(): Promise<void> {
    this.entries.clear();
    return this.announce(EVERYONE);
  }

  private async load(userId: string, defaultPlanCode: string): Promise<RateLimitTier> {
    const { rows } = await pgPool(this.dataSource).query<{ tier: RateLimitTier }>({
      name: 'billing.plan-tier',
      text: TIER_QUERY,
      values: [userId, defaultPlanCode],
    });
    const tier = rows[0]?.tier ?? RateLimitTier.Standard;
    if (this.listening) {
      if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(userId, { tier, expiresAt: Date.now() + TTL_MS });
    }
    return tier;
  }

  private async announce(message: string): Promise<void> {
    await this.redis.publish(this.channel, message).catch((error: Error) => {
      // Without Redis no instance is listening, so none holds a cached tier.
      this.logger.warn(`Could not announce a plan change: ${error.message}`);
    });
  }

  private stopListening(): void {
    this.listening = false;
    this.entries.clear();
  }
}
