import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThan, Repository } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { Job } from './entities/job.entity';
import { JobRunner } from './job-runner';
import { JobQueues } from './job-queue';
import { JobStatus, JobType } from './job-types';
import { JobsService } from './jobs.service';
import { MediaSlots } from './media-slots';

/**
 * Jobs a worker holds per media slot of their type: one in the slot, and one fetched meanwhile
 * (or finishing its bookkeeping after giving the slot back), so that a slot never waits for
 * Bull or for the bookkeeping of the job before.
 */
const JOBS_PER_SLOT = 2;

/**
 * The worker side of jobs: one Bull handler per job type's queue, with as many media slots
 * (ffmpeg runs at once) as the type's configured concurrency, and a periodic sweep that
 * re-enqueues rows PostgreSQL says are queued but Redis no longer holds (after a Redis loss).
 * Adding a job whose id Bull already has is a no-op, so several workers may sweep at once.
 */
@Injectable()
export class JobsWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(JobsWorker.name);
  private sweepTimer?: NodeJS.Timeout;

  constructor(
    private readonly queues: JobQueues,
    @InjectRepository(Job) private readonly jobs: Repository<Job>,
    private readonly runner: JobRunner,
    private readonly jobsService: JobsService,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    for (const type of Object.values(JobType)) {
      const slots = new MediaSlots(this.config.jobs.concurrency[type] ?? 1);
      void this.queues
        .of(type)
        .process(slots.size * JOBS_PER_SLOT, (job) => this.runner.run(job, slots));
    }
    this.sweepTimer = setInterval(() => void this.sweep(), this.config.jobs.sweepIntervalMs);
    this.sweepTimer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.sweepTimer);
  }

  /** Re-enqueues queued rows missing from Redis; returns how many it put back. */
  async sweep(): Promise<number> {
    let restored = 0;
    try {
      const stale = await this.jobs.find({
        where: { status: JobStatus.Queued, updatedAt: LessThan(new Date(Date.now() - 5000)) },
        order: { createdAt: 'ASC' },
        take: 500,
      });
      for (const job of stale) {
        if (await this.queues.of(job.type).getJob(job.id)) continue;
        await this.jobsService.enqueue(job);
        restored++;
      }
    } catch (error) {
      this.logger.warn(`Sweep stopped: ${(error as Error).message}`);
    }
    if (restored) this.logger.warn(`Re-enqueued ${restored} job(s) that Redis had lost`);
    return restored;
  }
}
