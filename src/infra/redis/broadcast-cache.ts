import { Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import Redis from 'ioredis';

const MAX_ENTRIES = 50_000;
/** Announced instead of a key when every entry may be stale. */
const EVERYTHING = '*';

interface Entry<T> {
  value: T;
  expiresAt: number;
}

/**
 * A short-lived, per-process cache of values read on hot paths, kept true across instances:
 * every change is announced on a Redis channel and every instance drops the key at once. It is
 * used only while this process is subscribed: a process that cannot hear announcements (Redis
 * lost) reads the source every time, and forgets everything it held when the subscription comes
 * back, since announcements may have been missed. A TTL of 0 turns it off.
 */
export class BroadcastCache<T> implements OnModuleInit, OnApplicationShutdown {
  private readonly logger: Logger;
  private readonly entries = new Map<string, Entry<T>>();
  private subscriber?: Redis;
  private listening = false;

  constructor(
    private readonly redis: Redis,
    private readonly channel: string,
    private readonly ttlMs: number,
  ) {
    this.logger = new Logger(new.target.name);
  }

  onModuleInit(): void {
    if (this.ttlMs === 0) return;
    const subscriber = this.redis.duplicate({ keyPrefix: undefined, enableAutoPipelining: false });
    this.subscriber = subscriber;
    subscriber.on('message', (_channel: string, key: string) => {
      if (key === EVERYTHING) this.entries.clear();
      else this.entries.delete(key);
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

  get(key: string): T | undefined {
    if (!this.listening) return undefined;
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt > Date.now()) return entry.value;
    this.entries.delete(key);
    return undefined;
  }

  set(key: string, value: T): void {
    if (!this.listening) return;
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { value, expiresAt: Date.now() + this.ttlMs });
  }

  /** Drops the key here and tells every other instance to do the same. */
  invalidate(key: string): Promise<void> {
    this.entries.delete(key);
    return this.announce(key);
  }

  /** Drops everything here and on every other instance. */
  invalidateAll(): Promise<void> {
    this.entries.clear();
    return this.announce(EVERYTHING);
  }

  private async announce(message: string): Promise<void> {
    if (this.ttlMs === 0) return;
    await this.redis.publish(this.channel, message).catch((error: Error) => {
      // Without Redis no instance is listening, so none holds a cached value.
      this.logger.warn(`Could not announce a change on ${this.channel}: ${error.message}`);
    });
  }

  private stopListening(): void {
    this.listening = false;
    this.entries.clear();
  }
}
