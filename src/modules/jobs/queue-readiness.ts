import { InjectQueue } from '@nestjs/bull';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { Queue } from 'bull';
import { ReadinessChecks } from '../../infra/lifecycle/readiness-checks';
import { withTimeout } from '../health/with-timeout';
import { WEBHOOKS_QUEUE } from '../webhooks/webhooks-queue';
import { JobQueues } from './job-queue';

const TIMEOUT_MS = 1500;

/** Adds the queues to readiness: each must answer through its own Redis connection. */
@Injectable()
export class QueueReadiness implements OnModuleInit {
  constructor(
    private readonly jobs: JobQueues,
    @InjectQueue(WEBHOOKS_QUEUE) private readonly webhooks: Queue,
    private readonly readiness: ReadinessChecks,
    private readonly indicator: HealthIndicatorService,
  ) {}

  onModuleInit(): void {
    this.readiness.add(async () => {
      const check = this.indicator.check('queues');
      try {
        const states = await Promise.all(
          [...this.jobs.all(), this.webhooks].map(async (queue) => {
            await withTimeout(queue.client.ping(), TIMEOUT_MS);
            return [queue.name, (await queue.isPaused()) ? 'paused' : 'running'] as const;
          }),
        );
        return check.up(Object.fromEntries(states));
      } catch (error) {
        return check.down({ message: (error as Error).message });
      }
    });
  }
}
