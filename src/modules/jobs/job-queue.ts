import type { JobOptions } from 'bull';
import { Job } from './entities/job.entity';

export const JOBS_QUEUE = 'jobs';

/** What a Bull job carries: only the row's id; the row is the truth. */
export interface JobPayload {
  jobId: string;
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
