import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfig } from '../../config/app-config';
import { REDIS } from '../../infra/redis/redis.module';

const MAX_ENTRIES = 50_000;

interface Entry<T> {
  value: T;
  expiresAt: number;
}

/**
 * A short-lived, per-process cache of the identity the authentication guard loads on every
 * request. Every change to a user is announced on a Redis channel and every instance drops
 * that user at once. The cache is used only while this process is subscribed: a process that
 * cannot hear announcements (Redis lost) reads PostgreSQL every time, and forgets everything
 * it held when the subscription comes back, since announcements may have been missed.
 */
@Injectable()
export class IdentityCache<T = unknown> implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(IdentityCache.name);
  private readonly entries = new Map<string, Entry<T>>();
  private readonly channel: string;
  private readonly ttlMs: number;
  private subscriber?: Redis;
  private listening = false;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    config: AppConfig,
  ) {
    this.channel = `${config.redis.prefix}:users:changed`;
    this.ttlMs = config.auth.identityCacheTtlSec * 1000;
  }

  async onModuleInit(): Promise<void> {
    if (this.ttlMs === 0) return;
    const subscriber = this.redis.duplicate({ keyPrefix: undefined, enableAutoPipelining: false });
    this.subscriber = subscriber;
    subscriber.on('message', (_channel: string, userId: string) => this.entries.delete(userId));
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

  get(userId: string): T | undefined {
    if (!this.listening) return undefined;
    const entry = this.entries.get(userId);
    if (!entry) return undefined;
    if (entry.expiresAt > Date.now()) return entry.value;
    this.entries.delete(userId);
    return undefined;
  }

  set(userId: string, value: T): void {
    if (!this.listening) return;
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(userId, { value, expiresAt: Date.now() + this.ttlMs });
  }

  /** Drops the user here and tells every other instance to do the same. */
  async invalidate(userId: string): Promise<void> {
    this.entries.delete(userId);
    if (this.ttlMs === 0) return;
    await this.redis.publish(this.channel, userId).catch((error: Error) => {
      // Without Redis no instance is listening, so none holds a cached identity.
      this.logger.warn(`Could not announce a change of user ${userId}: ${error.message}`);
    });
  }

  private stopListening(): void {
    this.listening = false;
    this.entries.clear();
  }
}
