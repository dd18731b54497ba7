import { Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Job } from './entities/job.entity';
import { JobEvent, JobEventsService } from './job-events.service';
import { FINISHED_STATUSES, JobStatus } from './job-types';

const HEARTBEAT_MS = 15_000;

/**
 * Serves a job's events as text/event-stream: the current status first, then what workers
 * publish, until a final status. Subscribing before reading the row means no event falls in
 * between; a comment line every 15 s keeps proxies from closing an idle stream.
 */
@Injectable()
export class JobEventStream {
  constructor(private readonly events: JobEventsService) {}

  /** `load` reads the job after the subscription is in place, so nothing is missed between. */
  async stream(jobId: string, load: () => Promise<Job>, reply: FastifyReply): Promise<void> {
    const raw = reply.raw;
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      clearInterval(heartbeat);
      unsubscribe();
      raw.end();
    };
    const send = (event: JobEvent) => {
      if (ended) return;
      raw.write(`event: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`);
      if (event.event === 'status' && FINISHED_STATUSES.includes(event.data.status)) end();
    };
    // Events that come before the headers and the current status are held back: the status
    // read from the row supersedes them, and only later progress is worth sending.
    let held: JobEvent[] | null = [];
    const unsubscribe = await this.events.subscribe(jobId, (event) =>
      held ? held.push(event) : send(event),
    );
    const job = await load().catch((error: unknown) => {
      unsubscribe();
      throw error;
    });
    const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), HEARTBEAT_MS);

    reply.hijack();
    raw.writeHead(200, {
      ...(reply.getHeaders() as Record<string, string>),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    raw.on('close', end);
    send({ event: 'status', data: statusOf(job) });
    const early = held;
    held = null;
    for (const event of early) {
      if (event.event === 'progress' && event.data.progress > job.progress) send(event);
    }
  }
}

function statusOf(job: Job): {
  id: string;
  status: JobStatus;
  progress: number;
  error?: string;
  outputs: string[];
} {
  return {
    id: job.id,
    status: job.status,
    progress: job.progress,
    ...(job.error ? { error: job.error } : {}),
    outputs: job.outputs,
  };
}
