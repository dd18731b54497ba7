import {
  ConflictException,
  Injectable,
  Logger,
  NotFoundException,
  ServiceUnavailableException,
} from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { Actor } from '../../common/auth/authenticated-user';
import { assertCanRead, assertCanWrite } from '../../common/auth/ownership';
import { UserRole } from '../../common/auth/role';
import { Page, pageOffset, toPage } from '../../common/pagination/page-query.dto';
import { FieldError, ValidationProblemException } from '../../common/problem/problem.exception';
import { AppConfig } from '../../config/app-config';
import { AuditService } from '../audit/audit.service';
import { UsageMeter } from '../billing/usage-meter';
import { fingerprintOf } from '../idempotency/fingerprint';
import { Answer, IdempotencyService } from '../idempotency/idempotency.service';
import { MediaService } from '../media/media.service';
import { JOB_STATUSES } from '../projects/dto/project-stats.dto';
import { ProjectsService } from '../projects/projects.service';
import { withTimeout } from '../health/with-timeout';
import { WebhookEvent } from '../webhooks/webhook-events';
import { WebhooksService } from '../webhooks/webhooks.service';
import { CreateJobDto } from './dto/create-job.dto';
import { JobDto } from './dto/job.dto';
import { ListJobsQuery } from './dto/list-jobs.query';
import { JobStatsDto } from './dto/job-stats.dto';
import { Job } from './entities/job.entity';
import { exportJobs } from './job-export';
import { jobStats } from './job-stats';
import { JobEventsService } from './job-events.service';
import { resolveParams } from './job-params';
import { bullOptions, JobQueues } from './job-queue';
import {
  FINISHED_STATUSES,
  INPUT_COUNTS,
  JobStatus,
  JobType,
  UNFINISHED_STATUSES,
} from './job-types';

type Caller = Pick<Actor, 'id' | 'role'>;

const QUEUE_UNAVAILABLE = 'The job queue is unavailable; try again shortly.';
const ENQUEUE_TIMEOUT_MS = 3000;

@Injectable()
export class JobsService {
  private readonly logger = new Logger(JobsService.name);

  constructor(
    @InjectRepository(Job) private readonly jobs: Repository<Job>,
    private readonly queues: JobQueues,
    private readonly media: MediaService,
    private readonly projects: ProjectsService,
    private readonly idempotency: IdempotencyService,
    private readonly events: JobEventsService,
    private readonly webhooks: WebhooksService,
    private readonly audit: AuditService,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly usage: UsageMeter,
  ) {
    media.onUseCheck((mediaId) =>
      this.jobs
        .createQueryBuilder('j')
        .where('j.status IN (:...statuses)', { statuses: UNFINISHED_STATUSES })
        .andWhere(':mediaId = ANY(j.inputs)', { mediaId })
        .getExists(),
    );
    projects.contributeStats(async (projectId) => {
      const rows = await this.jobs
        .createQueryBuilder('j')
        .select('j.status', 'status')
        .addSelect('count(*)::int', 'count')
        .where('j.projectId = :projectId', { projectId })
        .groupBy('j.status')
        .getRawMany<{ status: JobStatus; count: number }>();
      const byStatus = Object.fromEntries(JOB_STATUSES.map((s) => [s, 0]));
      for (const row of rows) byStatus[row.status] = row.count;
      return { jobs: { byStatus, total: rows.reduce((sum, row) => sum + row.count, 0) } };
    });
  }

  /** Validates the job, writes its row and hands it to the queue; 400 for a bad combination. */
  async create(
    caller: Caller,
    input: CreateJobDto,
    idempotencyKey?: string,
  ): Promise<Answer<JobDto>> {
    const inputs = input.inputs ?? [];
    const { params, errors } = await resolveParams(input.type, input.params);
    const { min, max } = INPUT_COUNTS[input.type];
    if (inputs.length < min || inputs.length > max) {
      const wanted = min === max ? `${min}` : `${min} to ${max}`;
      errors.push({ field: 'inputs', message: `${input.type} takes ${wanted} input(s)` });
    }
    if (new Set(inputs).size !== inputs.length && input.type !== 'montage') {
      errors.push({ field: 'inputs', message: 'inputs must not repeat' });
    }
    if (errors.length) throw new ValidationProblemException(errors);

    const fingerprint = fingerprintOf(input);
    return this.idempotency.run(
      { ownerId: caller.id, scope: 'POST /jobs', key: idempotencyKey, fingerprint },
      202,
      async () => {
        if (input.projectId) await this.projects.assertCanAddTo(caller, input.projectId);
        const media = await this.media.inputsFor(caller, inputs);
        const notVideo: FieldError[] = media
          .map((m, i) => ({ m, i }))
          .filter(({ m }) => !m.mimeType.startsWith('video/'))
          .map(({ i }) => ({ field: `inputs.${i}`, message: `${input.type} needs a video input` }));
        if (notVideo.length) throw new ValidationProblemException(notVideo);
        this.assertQueueAvailable(input.type);
        const job = this.jobs.create({
          id: randomUUID(),
          ownerId: caller.id,
          projectId: input.projectId ?? null,
          type: input.type,
          params,
          inputs,
          priority: input.priority ?? 0,
          maxRetries: input.maxRetries ?? 2,
        });
        // The job and its `jobs` count are written together; over quota (402), neither.
        await this.usage.insertReserving(Job, job, {
          userId: caller.id,
          meter: 'jobs',
          amount: 1,
          idempotencyKey: `job:${job.id}`,
        });
        // The row is committed, so the job is accepted: should Redis fail just now (enqueue
        // logs it), the sweep queues the row once Redis is back.
        await this.enqueue(job).catch(() => undefined);
        return JobDto.from(job);
      },
    );
  }

  async list(caller: Caller, query: ListJobsQuery): Promise<Page<Job>> {
    const ownerId = query.ownerId && caller.role !== UserRole.User ? query.ownerId : caller.id;
    return this.listOwnedBy(ownerId, query);
  }

  async listOwnedBy(ownerId: string, query: ListJobsQuery): Promise<Page<Job>> {
    const descending = query.sort.startsWith('-');
    const field = query.sort.replace(/^-/, '') as 'createdAt' | 'finishedAt' | 'priority';
    const [data, total] = await this.jobs.findAndCount({
      where: {
        ownerId,
        ...(query.status ? { status: query.status } : {}),
        ...(query.type ? { type: query.type } : {}),
        ...(query.projectId ? { projectId: query.projectId } : {}),
      },
      order: { [field]: descending ? 'DESC' : 'ASC', id: 'ASC' },
      skip: pageOffset(query),
      take: query.limit,
    });
    return toPage(data, total, query);
  }

  stats(ownerId: string): Promise<JobStatsDto> {
    return jobStats(this.jobs, ownerId);
  }

  export(ownerId: string, format: 'csv' | 'json'): Readable {
    return exportJobs(this.jobs, ownerId, format);
  }

  async get(caller: Caller, id: string): Promise<Job> {
    const job = await this.find(id);
    assertCanRead(caller, job.ownerId);
    return job;
  }

  /** Operators may cancel any job (support), like owners and admins; staff actions are audited. */
  async cancel(caller: Actor, id: string): Promise<Job> {
    const job = await this.find(id);
    assertCanRead(caller, job.ownerId);
    if (FINISHED_STATUSES.includes(job.status)) {
      throw new ConflictException(`The job is already ${job.status}.`);
    }
    const { cancelled, deliveries } = await this.dataSource.transaction(async (manager) => {
      const updated = await manager
        .createQueryBuilder()
        .update(Job)
        .set({ status: JobStatus.Cancelled, finishedAt: () => 'now()' })
        .where('id = :id AND status IN (:...statuses)', { id, statuses: UNFINISHED_STATUSES })
        .execute();
      if (!updated.affected) throw new ConflictException('The job finished meanwhile.');
      const row = await manager.findOneByOrFail(Job, { id });
      return { cancelled: row, deliveries: await this.recordFinish(manager, row, 'job.cancelled') };
    });
    // A waiting job leaves the queue; a running one is stopped by its worker on this signal.
    await (await this.queues.of(job.type).getJob(id))?.remove().catch(() => undefined);
    await this.events.requestCancel(id);
    await this.auditStaffAction(caller, cancelled, 'job.cancelled');
    await this.announceFinished(cancelled, deliveries);
    return cancelled;
  }

  /** Runs a failed or cancelled job again, from the start. */
  async retry(caller: Actor, id: string): Promise<Job> {
    const job = await this.find(id);
    assertCanRead(caller, job.ownerId);
    if (job.status !== JobStatus.Failed && job.status !== JobStatus.Cancelled) {
      throw new ConflictException('Only a failed or cancelled job can be retried.');
    }
    await this.removeFromQueue(job);
    const before = { ...job };
    Object.assign(job, {
      status: JobStatus.Queued,
      progress: 0,
      error: null,
      attempts: 0,
      startedAt: null,
      finishedAt: null,
    });
    await this.jobs.save(job);
    try {
      await this.enqueue(job);
    } catch (error) {
      await this.jobs.save(before);
      throw error;
    }
    await this.auditStaffAction(caller, job, 'job.retried');
    await this.announce(job);
    return job;
  }

  async remove(caller: Caller, id: string): Promise<void> {
    const job = await this.find(id);
    assertCanWrite(caller, job.ownerId);
    if (UNFINISHED_STATUSES.includes(job.status)) {
      throw new ConflictException('Cancel the job before deleting it.');
    }
    await this.jobs.delete({ id });
    await (await this.queues.of(job.type).getJob(id))?.remove().catch(() => undefined);
  }

  /** 503 at once when the type's queue has no Redis connection, before anything is written. */
  assertQueueAvailable(type: JobType): void {
    const { status } = this.queues.of(type).client;
    if (status !== 'ready') {
      this.logger.warn(`Job queue refused: its Redis connection is ${status}`);
      throw new ServiceUnavailableException(QUEUE_UNAVAILABLE);
    }
  }

  /** Hands a row to the queue; 503 when Redis cannot take it (callers undo their change). */
  async enqueue(job: Job): Promise<void> {
    this.assertQueueAvailable(job.type);
    try {
      // Bull would otherwise hold the request until Redis is back.
      await withTimeout(
        this.queues
          .of(job.type)
          .add({ jobId: job.id }, bullOptions(job, this.config.jobs.backoffMs)),
        ENQUEUE_TIMEOUT_MS,
      );
    } catch (error) {
      this.logger.error({ err: error }, 'Could not queue a job');
      throw new ServiceUnavailableException(QUEUE_UNAVAILABLE);
    }
  }

  /**
   * What a final status brings along, written in the transaction that sets it: the run time
   * counted and the owner's webhook deliveries. Returns the deliveries for announceFinished().
   */
  async recordFinish(manager: EntityManager, job: Job, event: WebhookEvent): Promise<string[]> {
    await this.recordRunTime(manager, job);
    return this.webhooks.recordEvent(manager, job.ownerId, event, JobDto.from(job));
  }

  /**
   * Once the final status is committed: to live listeners, and the deliveries to the queue. A
   * delivery that cannot be queued now is queued by the deliveries' sweep, so it is only logged.
   */
  async announceFinished(job: Job, deliveries: string[]): Promise<void> {
    await this.announce(job);
    await this.webhooks.queueDeliveries(deliveries).catch((error: unknown) => {
      this.logger.error({ err: error, jobId: job.id }, 'Could not queue webhook deliveries');
    });
  }

  async announce(job: Job): Promise<void> {
    await this.events.publish({
      event: 'status',
      data: {
        id: job.id,
        status: job.status,
        progress: job.progress,
        ...(job.error ? { error: job.error } : {}),
        outputs: job.outputs,
      },
    });
  }

  /**
   * Takes the job's Bull entry away before it is queued again under the same id. A cancelled
   * job's worker may still be stopping (its entry is locked) for a moment: wait for it, briefly.
   */
  private async removeFromQueue(job: Job, waitMs = 5000): Promise<void> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const entry = await this.queues.of(job.type).getJob(job.id);
      if (!entry) return;
      try {
        await entry.remove();
        return;
      } catch {
        if (Date.now() > deadline) {
          throw new ConflictException('The job is still stopping; try again in a moment.');
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }

  /**
   * processing_seconds: the time from the run's start to its end, whole seconds rounded up,
   * counted once per run (a retried job starts a new run).
   */
  private async recordRunTime(manager: EntityManager, job: Job): Promise<void> {
    if (!job.startedAt || !job.finishedAt) return;
    const seconds = Math.ceil((job.finishedAt.getTime() - job.startedAt.getTime()) / 1000);
    const run = `job:${job.id}:seconds:${job.startedAt.getTime()}`;
    await this.usage.record(manager, job.ownerId, 'processing_seconds', Math.max(seconds, 1), run);
  }

  private async auditStaffAction(actor: Actor, job: Job, action: string): Promise<void> {
    if (actor.id === job.ownerId) return;
    await this.dataSource.transaction((manager) =>
      this.audit.record(manager, actor, {
        action,
        targetType: 'job',
        targetId: job.id,
        details: { ownerId: job.ownerId },
      }),
    );
  }

  private async find(id: string): Promise<Job> {
    const job = await this.jobs.findOneBy({ id });
    if (!job) throw new NotFoundException('No such job.');
    return job;
  }
}
