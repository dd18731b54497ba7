import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';

/**
 * Graceful shutdown, first step: readiness turns 503 and the HTTP server stops taking new
 * connections and waits for requests in flight. Queues and pools close after this, in
 * onApplicationShutdown hooks, so that in-flight requests can still use them.
 */
@Injectable()
export class LifecycleService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(LifecycleService.name);
  private draining = false;

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  get isDraining(): boolean {
    return this.draining;
  }

  async beforeApplicationShutdown(signal?: string): Promise<void> {
    this.draining = true;
    this.logger.log(`Shutting down (${signal ?? 'close'}): draining HTTP requests`);
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (fastify?.server.listening) await fastify.close();
  }
}
