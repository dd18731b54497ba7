import type { JobOptions, Queue } from 'bull';
import { Job } from './entities/job.entity';
import { JobType } from './job-types';

/**
 * One Bull queue per job type: Bull adds up the concurrency of the processors of one queue, so
 * per-type limits (JOBS_CONCURRENCY) hold only with a queue of their own for each type.
 */
export const jobQueueName = (type: JobType): string => `jobs-${type}`;

export const JOB_TYPES = Object.values(JobType);

export const JOB_QUEUE_NAMES = JOB_TYPES.map(jobQueueName);

/** What a Bull job carries: only the row's id; the row is the truth. */
export interface JobPayload {
  jobId: string;
}

/** The queues of all job types, looked up by type. */
export class JobQueues {
  constructor(private readonly byType: ReadonlyMap<JobType, Queue<JobPayload>>) {}

  of(type: JobType): Queue<JobPayload> {
    return this.byType.get(type)!;
  }

  all(): Queue<JobPayload>[] {
    return [...this.byType.values()];
  }
}

/**
 * Bull options for a job row: its Bull id is the row's id (so adding it twice adds it once),
 * retries with exponential backoff, and Kiln's 0..10 priority (higher sooner) mapped onto
 * Bull's (1 runs first).
 */
export function bullOptions(job: Job, backoffMs: number): JobOptions {
  return {
    jobId: job.id,
    attempts: job.maxRetries + 1,
    backoff: { type: 'exponential', delay: backoffMs },
    priority: 11 - job.priority,
    removeOnComplete: true,
    removeOnFail: 1000,
  };
}
