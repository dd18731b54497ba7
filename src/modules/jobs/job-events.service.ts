import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { EventEmitter } from 'node:events';
import { AppConfig } from '../../config/app-config';
import { REDIS } from '../../infra/redis/redis.module';
import { JobStatus } from './job-types';

export type JobEvent =
  | { event: 'progress'; data: { id: string; progress: number } }
  | {
      event: 'status';
      data: { id: string; status: JobStatus; progress: number; error?: string; outputs?: string[] };
    };

/**
 * Job progress, status changes and cancel requests travel through Redis pub/sub, so an SSE
 * client connected to any API instance hears a job run by any worker, and a cancel reaches
 * the worker running it. One subscriber connection per process fans out to local listeners.
 * A process subscribes to a job's events only while someone here listens to them: a worker
 * publishing thousands of events a minute would otherwise receive each of them back.
 */
@Injectable()
export class JobEventsService implements OnApplicationShutdown {
  private readonly logger = new Logger(JobEventsService.name);
  private readonly local = new EventEmitter().setMaxListeners(0);
  private readonly eventsPrefix: string;
  private readonly cancelChannel: string;
  private subscriber?: Promise<Redis>;
  /** Per job listened to here: its listeners, and the SUBSCRIBE they wait for. */
  private readonly channels = new Map<string, { listeners: number; ready: Promise<unknown> }>();

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    config: AppConfig,
  ) {
    this.eventsPrefix = `${config.redis.prefix}:jobs:events:`;
    this.cancelChannel = `${config.redis.prefix}:jobs:cancel`;
  }

  async publish(event: JobEvent): Promise<void> {
    await this.redis
      .publish(`${this.eventsPrefix}${event.data.id}`, JSON.stringify(event))
      .catch((error: Error) => this.logger.warn(`Job event not published: ${error.message}`));
  }

  async requestCancel(jobId: string): Promise<void> {
    await this.redis.publish(this.cancelChannel, jobId);
  }

  /** Calls the listener with every event of the job until the returned function is called. */
  async subscribe(jobId: string, listener: (event: JobEvent) => void): Promise<() => void> {
    const subscriber = await this.connect();
    const channel = `${this.eventsPrefix}${jobId}`;
    const entry = this.channels.get(channel) ?? {
      listeners: 0,
      ready: subscriber.subscribe(channel),
    };
    this.channels.set(channel, entry);
    entry.listeners++;
    this.local.on(`event:${jobId}`, listener);
    let unsubscribed = false;
    const unsubscribe = () => {
      if (unsubscribed) return;
      unsubscribed = true;
      this.local.off(`event:${jobId}`, listener);
      if (--entry.listeners > 0) return;
      this.channels.delete(channel);
      subscriber.unsubscribe(channel).catch(() => undefined);
    };
    try {
      await entry.ready;
    } catch (error) {
      unsubscribe();
      throw error;
    }
    return unsubscribe;
  }

  async onCancel(jobId: string, listener: () => void): Promise<() => void> {
    await this.connect();
    this.local.on(`cancel:${jobId}`, listener);
    return () => this.local.off(`cancel:${jobId}`, listener);
  }

  async onApplicationShutdown(): Promise<void> {
    const subscriber = await this.subscriber?.catch(() => undefined);
    await subscriber?.quit().catch(() => subscriber.disconnect());
  }

  private connect(): Promise<Redis> {
    this.subscriber ??= (async () => {
      const subscriber = this.redis.duplicate({
        keyPrefix: undefined,
        enableAutoPipelining: false,
      });
      subscriber.on('error', (error: Error) => this.logger.warn(`Job events: ${error.message}`));
      subscriber.on('message', (channel: string, message: string) => {
        if (channel === this.cancelChannel) {
          this.local.emit(`cancel:${message}`);
          return;
        }
        const event = JSON.parse(message) as JobEvent;
        this.local.emit(`event:${channel.slice(this.eventsPrefix.length)}`, event);
      });
      await subscriber.subscribe(this.cancelChannel);
      return subscriber;
    })();
    return this.subscriber;
  }
}
