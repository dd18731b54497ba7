import { InjectQueue } from '@nestjs/bull';
import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Queue } from 'bull';
import { DataSource } from 'typeorm';
import { Actor } from '../../common/auth/authenticated-user';
import { AuditService } from '../audit/audit.service';
import { WEBHOOKS_QUEUE } from '../webhooks/webhooks-queue';
import { QueueCountsDto } from './dto/queue-counts.dto';
import { Job } from './entities/job.entity';
import { JOB_QUEUE_NAMES, JobQueues } from './job-queue';
import { JobStatus } from './job-types';

/** Queue operations for operators and admins; every change is audited. */
@Injectable()
export class QueuesAdminService {
  private readonly queues: Map<string, Queue>;

  constructor(
    jobs: JobQueues,
    @InjectQueue(WEBHOOKS_QUEUE) webhooks: Queue,
    private readonly audit: AuditService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {
    this.queues = new Map<string, Queue>([
      ...jobs.all().map((queue) => [queue.name, queue] as const),
      [WEBHOOKS_QUEUE, webhooks],
    ]);
  }

  /** Every queue Kiln runs: one per job type, and the webhooks queue. */
  all(): Queue[] {
    return [...this.queues.values()];
  }

  async counts(): Promise<QueueCountsDto[]> {
    return Promise.all(
      [...this.queues].map(async ([name, queue]) => {
        const counts = await queue.getJobCounts();
        return { name, ...counts, paused: await queue.isPaused() };
      }),
    );
  }

  async pause(actor: Actor, name: string): Promise<QueueCountsDto> {
    await this.queue(name).pause();
    await this.record(actor, 'queue.paused', name);
    return this.countsOf(name);
  }

  async resume(actor: Actor, name: string): Promise<QueueCountsDto> {
    await this.queue(name).resume();
    await this.record(actor, 'queue.resumed', name);
    return this.countsOf(name);
  }

  /** Retries every failed job of the queue; job rows go back to `queued` with them. */
  async retryFailed(actor: Actor, name: string): Promise<{ retried: number }> {
    const queue = this.queue(name);
    const failed = await queue.getFailed();
    await this.dataSource.transaction(async (manager) => {
      if (JOB_QUEUE_NAMES.includes(name) && failed.length) {
        await manager
          .createQueryBuilder()
          .update(Job)
          .set({ status: JobStatus.Queued, error: null, finishedAt: null, progress: 0 })
          .where('id IN (:...ids) AND status = :failed', {
            ids: failed.map((j) => String(j.id)),
            failed: JobStatus.Failed,
          })
          .execute();
      }
      await this.audit.record(manager, actor, {
        action: 'queue.failed_retried',
        targetType: 'queue',
        targetId: name,
        details: { count: failed.length },
      });
    });
    await Promise.all(failed.map((job) => job.retry()));
    return { retried: failed.length };
  }

  private async countsOf(name: string): Promise<QueueCountsDto> {
    return (await this.counts()).find((c) => c.name === name)!;
  }

  private async record(actor: Actor, action: string, name: string): Promise<void> {
    await this.dataSource.transaction((manager) =>
      this.audit.record(manager, actor, { action, targetType: 'queue', targetId: name }),
    );
  }

  private queue(name: string): Queue {
    const queue = this.queues.get(name);
    if (!queue) throw new NotFoundException(`No queue named ${name}.`);
    return queue;
  }
}
