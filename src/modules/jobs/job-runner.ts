import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import type { Job as BullJob } from 'bull';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DataSource, Repository } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { namedEntities } from '../../infra/database/hydrate-row';
import { namedQuery } from '../../infra/database/pg-client';
import { MediaCancelledError, MediaToolkit } from '../../infra/media-toolkit/media-toolkit';
import { GenerationProvider } from '../../infra/providers/generation/generation-provider';
import { MediaService } from '../media/media.service';
import { Job } from './entities/job.entity';
import { JobEventsService } from './job-events.service';
import { CLAIM_JOB, COMPLETE_JOB } from './job-statements';
import { JobPayload } from './job-queue';
import { JobsMetrics } from './jobs-metrics';
import { JobStatus } from './job-types';
import { performJob } from './job-work';
import { MediaSlots, ReleaseSlot } from './media-slots';
import { JobsService } from './jobs.service';

class JobCancelled extends Error {}

const removeWorkDir = (dir: string): Promise<void> =>
  rmdir(dir).catch(() => rm(dir, { recursive: true, force: true }));

/** Progress is written to PostgreSQL and Bull at most this often; events go out on every step. */
const PROGRESS_WRITE_MS = 1000;

/**
 * Runs one job in a worker, inside one of its type's media slots. The row is the truth: a job
 * already finished or cancelled is not run; outputs replace those of an earlier run in one
 * transaction with the final status, so a job run again after a crash ends with one set of
 * outputs. Errors go back to Bull, which retries with backoff; the last failure is stored on
 * the row. The slot is given back as soon as ffmpeg is done: the job's bookkeeping then runs
 * beside the next job's media work.
 */
@Injectable()
export class JobRunner {
  private readonly logger = new Logger(JobRunner.name);

  constructor(
    @InjectRepository(Job) private readonly jobs: Repository<Job>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly media: MediaService,
    private readonly toolkit: MediaToolkit,
    private readonly generation: GenerationProvider,
    private readonly events: JobEventsService,
    private readonly jobsService: JobsService,
    private readonly config: AppConfig,
    private readonly metrics: JobsMetrics,
  ) {}

  async run(bullJob: BullJob<JobPayload>, slots: MediaSlots): Promise<void> {
    const jobId = bullJob.data.jobId;
    const abort = new AbortController();
    // Listening while it waits for a slot too: a job cancelled meanwhile stops waiting.
    const stopListening = await this.events.onCancel(jobId, () => abort.abort());
    let workDir: string | undefined;
    try {
      workDir = await mkdtemp(join(this.config.storage.dir, 'tmp', `job-${jobId}-`));
      // Null: cancelled while waiting; the row says so already.
      const release = await slots.acquire(abort.signal);
      if (!release) return;
      try {
        await this.runInSlot(bullJob, workDir, abort.signal, release);
      } finally {
        release();
      }
    } finally {
      stopListening();
      // Empty once the output is stored: one rmdir then; whatever a failure left goes too.
      if (workDir) await removeWorkDir(workDir);
    }
  }

  private async runInSlot(
    bullJob: BullJob<JobPayload>,
    workDir: string,
    signal: AbortSignal,
    release: ReleaseSlot,
  ): Promise<void> {
    const attempt = bullJob.attemptsMade + 1;
    const isLastAttempt = attempt >= (bullJob.opts.attempts ?? 1);
    const job = await this.claim(bullJob.data.jobId, attempt);
    if (!job) return;
    // Not awaited: publishing never fails, and Redis keeps the order of the job's events.
    void this.jobsService.announce(job);

    const endRun = this.metrics.startRun(job.type);
    try {
      await this.execute(job, workDir, signal, bullJob, release);
      endRun('completed');
    } catch (error) {
      if (error instanceof JobCancelled || error instanceof MediaCancelledError) {
        endRun('cancelled');
        this.logger.log(`Job ${job.id} was cancelled while running`);
        return;
      }
      endRun('failed');
      await this.recordFailure(job, error as Error, isLastAttempt);
      throw error;
    }
  }

  private async execute(
    job: Job,
    workDir: string,
    signal: AbortSignal,
    bullJob: BullJob<JobPayload>,
    release: ReleaseSlot,
  ): Promise<void> {
    const inputs = await this.media.inputsFor(
      { id: job.ownerId, role: 'admin' as never },
      job.inputs,
    );
    const jobInputs = await Promise.all(
      inputs.map(async (m) => ({
        path: await this.media.localPath(m),
        knownVideo: this.media.knownVideo(m),
      })),
    );
    // A job shorter than PROGRESS_WRITE_MS writes no progress row: its final update says 100.
    let lastWrite = Date.now();
    // The slot goes back once the media work is over, failed or not.
    const produced = await performJob(
      job,
      jobInputs,
      workDir,
      { toolkit: this.toolkit, generation: this.generation },
      {
        signal,
        timeoutMs: this.config.media.timeoutMs,
        onProgress: (progress: number) => {
          void this.events.publish({ event: 'progress', data: { id: job.id, progress } });
          if (Date.now() - lastWrite >= PROGRESS_WRITE_MS) {
            lastWrite = Date.now();
            void bullJob.progress(progress).catch(() => undefined);
            void this.jobs.update({ id: job.id }, { progress }).catch(() => undefined);
          }
        },
      },
    ).finally(release);

    const outputIds = produced.map(() => randomUUID());
    Object.assign(job, {
      status: JobStatus.Completed,
      progress: 100,
      outputs: outputIds,
      finishedAt: new Date(),
      error: null,
    });
    const finish = this.dataSource.transaction(async (manager) => {
      // Locks the row first, so a cancel either came before (nothing is written) or waits.
      const [completed] = await namedQuery<{ earlier_outputs: string[] }>(
        manager,
        COMPLETE_JOB.name,
        COMPLETE_JOB.text,
        [job.id, job.outputs, job.finishedAt],
      );
      if (!completed) throw new JobCancelled();
      // Output rows are written only with the outputs naming them: none named, none to remove.
      const previous = completed.earlier_outputs.length
        ? await this.media.removeOutputsOf(job.id, manager)
        : [];
      for (const [i, file] of produced.entries()) {
        await this.media.saveOutput(
          {
            id: outputIds[i],
            ownerId: job.ownerId,
            projectId: job.projectId,
            jobId: job.id,
            filename: file.filename,
            localPath: file.path,
          },
          manager,
        );
      }
      return {
        replaced: previous,
        deliveries: await this.jobsService.recordFinish(manager, job, 'job.completed'),
      };
    });
    const { replaced, deliveries } = await finish.catch(async (error: unknown) => {
      // Rolled back: no row names the files placed for the outputs, so they go too.
      await this.media.removeUnsavedOutputs(outputIds);
      throw error;
    });
    await this.media.removeFiles(replaced);
    await this.jobsService.announceFinished(job, deliveries);
  }

  /**
   * Marks the job as running, unless it is gone, completed or cancelled (then null: nothing to
   * run). One statement, so a cancel cannot slip between the check and the change.
   */
  private async claim(id: string, attempt: number): Promise<Job | null> {
    const [job] = await namedEntities(this.dataSource, Job, CLAIM_JOB, [id, attempt]);
    return job ?? null;
  }

  /** Back to `queued` while Bull will retry; `failed`, with the message, after the last attempt. */
  private async recordFailure(job: Job, error: Error, isLastAttempt: boolean): Promise<void> {
    Object.assign(job, {
      status: isLastAttempt ? JobStatus.Failed : JobStatus.Queued,
      error: error.message.slice(0, 2000),
      finishedAt: isLastAttempt ? new Date() : null,
    });
    const deliveries = await this.dataSource.transaction(async (manager) => {
      // Not over a cancel that came in meanwhile.
      const updated = await manager
        .createQueryBuilder()
        .update(Job)
        .set({ status: job.status, error: job.error, finishedAt: job.finishedAt })
        .where('id = :id AND status = :processing', {
          id: job.id,
          processing: JobStatus.Processing,
        })
        .execute();
      return updated.affected && isLastAttempt
        ? this.jobsService.recordFinish(manager, job, 'job.failed')
        : [];
    });
    if (isLastAttempt) await this.jobsService.announceFinished(job, deliveries);
    else await this.jobsService.announce(job);
  }
}
