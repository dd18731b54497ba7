import { Injectable } from '@nestjs/common';
import type { Queue } from 'bull';
import { Gauge, Histogram } from 'prom-client';
import { withTimeout } from '../health/with-timeout';
import { MetricsService } from '../metrics/metrics.service';
import { QueuesAdminService } from './queues-admin.service';

/** How one run (one attempt) of a job ended. */
export type JobRunOutcome = 'completed' | 'failed' | 'cancelled';

/** Bull's job lists; `paused` holds the waiting jobs of a paused queue. */
const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed', 'completed', 'paused'] as const;

/**
 * Queue gauges are read from Redis at each scrape; a scrape waits for them no longer than this,
 * so /metrics answers quickly, without them, while Redis does not.
 */
const QUEUE_READ_TIMEOUT_MS = 1000;

/**
 * Reads every queue, then lets `write` set the gauge from scratch. A queue that cannot be read in
 * time leaves the gauge empty rather than showing old numbers as current.
 */
async function collectFromQueues<T>(
  gauge: { reset(): void },
  queues: Queue[],
  read: (queue: Queue) => Promise<T>,
  write: (queue: Queue, value: T) => void,
): Promise<void> {
  const values = await withTimeout(Promise.all(queues.map(read)), QUEUE_READ_TIMEOUT_MS).catch(
    () => undefined,
  );
  gauge.reset();
  values?.forEach((value, i) => write(queues[i], value));
}

/** The jobs module's metrics: run durations (observed by workers) and the queues' contents. */
@Injectable()
export class JobsMetrics {
  private readonly runDuration: Histogram<'type' | 'outcome'>;

  constructor(metrics: MetricsService, queuesAdmin: QueuesAdminService) {
    const registers = [metrics.registry];
    const queues = queuesAdmin.all();
    this.runDuration = new Histogram({
      name: 'kiln_job_run_duration_seconds',
      help: 'Duration of job runs (each attempt) in workers, by job type and outcome',
      labelNames: ['type', 'outcome'] as const,
      buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800],
      registers,
    });
    new Gauge({
      name: 'kiln_queue_jobs',
      help: 'Jobs in each queue by state, read from Redis at scrape time; absent while Redis does not answer',
      labelNames: ['queue', 'state'] as const,
      registers,
      collect() {
        return collectFromQueues(
          this,
          queues,
          // Bull counts `paused` too, which its typings leave out.
          (queue) => queue.getJobCounts().then((counts): Record<string, number> => ({ ...counts })),
          (queue, counts) => {
            for (const state of QUEUE_STATES) {
              this.set({ queue: queue.name, state }, counts[state] ?? 0);
            }
          },
        );
      },
    });
    new Gauge({
      name: 'kiln_queue_paused',
      help: '1 while a queue is paused, else 0; absent while Redis does not answer',
      labelNames: ['queue'] as const,
      registers,
      collect() {
        return collectFromQueues(
          this,
          queues,
          (queue) => queue.isPaused(),
          (queue, paused) => this.set({ queue: queue.name }, paused ? 1 : 0),
        );
      },
    });
  }

  /** Starts timing a run; call the returned function with the outcome when the run ends. */
  startRun(type: string): (outcome: JobRunOutcome) => void {
    const end = this.runDuration.startTimer({ type });
    return (outcome) => end({ outcome });
  }
}
