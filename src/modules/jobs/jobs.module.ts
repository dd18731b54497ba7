import { BullModule, getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../../config/app-config';
import { MediaToolkit } from '../../infra/media-toolkit/media-toolkit';
import { MediaToolkitModule } from '../../infra/media-toolkit/media-toolkit.module';
import { HttpGenerationProvider } from '../../infra/providers/generation/http-generation.provider';
import { LocalRendererProvider } from '../../infra/providers/generation/local-renderer.provider';
import { GenerationProvider } from '../../infra/providers/generation/generation-provider';
import { AuditModule } from '../audit/audit.module';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { MediaModule } from '../media/media.module';
import { MetricsModule } from '../metrics/metrics.module';
import { ProjectsModule } from '../projects/projects.module';
import { WEBHOOKS_QUEUE } from '../webhooks/webhooks-queue';
import { Job } from './entities/job.entity';
import { JobEventStream } from './job-event-stream';
import { JobEventsService } from './job-events.service';
import { JOB_QUEUE_NAMES, JOB_TYPES, JobPayload, JobQueues } from './job-queue';
import { JobRunner } from './job-runner';
import { JobsController } from './jobs.controller';
import { JobsMetrics } from './jobs-metrics';
import { JobsService } from './jobs.service';
import { JobsWorker } from './jobs.worker';
import { QueuesAdminController } from './queues-admin.controller';
import { QueueReadiness } from './queue-readiness';
import { QueuesAdminService } from './queues-admin.service';
import { UserJobsController } from './user-jobs.controller';

/**
 * Queued media work. The API side writes rows and queues them; the worker side (JobsWorker,
 * JobRunner) runs them, and is only present in processes whose role runs workers.
 */
@Module({})
export class JobsModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: JobsModule,
      imports: [
        TypeOrmModule.forFeature([Job]),
        BullModule.registerQueue(
          ...JOB_QUEUE_NAMES.map((name) => ({
            name,
            settings: { lockDuration: config.jobs.lockMs, stalledInterval: config.jobs.lockMs },
          })),
          { name: WEBHOOKS_QUEUE },
        ),
        MediaModule,
        MediaToolkitModule,
        ProjectsModule,
        IdempotencyModule,
        AuditModule,
        TerminusModule,
        MetricsModule,
      ],
      controllers: [JobsController, QueuesAdminController, UserJobsController],
      providers: [
        {
          provide: JobQueues,
          inject: JOB_QUEUE_NAMES.map((name) => getQueueToken(name)),
          useFactory: (...queues: Queue<JobPayload>[]) =>
            new JobQueues(new Map(JOB_TYPES.map((type, i) => [type, queues[i]]))),
        },
        JobsService,
        JobEventsService,
        JobEventStream,
        QueuesAdminService,
        QueueReadiness,
        JobsMetrics,
        ...(config.runsWorker
          ? [
              JobRunner,
              JobsWorker,
              {
                provide: GenerationProvider,
                inject: [MediaToolkit],
                useFactory: (toolkit: MediaToolkit): GenerationProvider =>
                  config.generation.http
                    ? new HttpGenerationProvider(config.generation.http)
                    : new LocalRendererProvider(toolkit),
              },
            ]
          : []),
      ],
      exports: [JobsService],
    };
  }
}
