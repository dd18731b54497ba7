import { Readable } from 'node:stream';
import { Repository } from 'typeorm';
import { JobDto } from './dto/job.dto';
import { Job } from './entities/job.entity';

const PAGE = 500;
const CSV_COLUMNS: (keyof JobDto)[] = [
  'id',
  'type',
  'status',
  'progress',
  'attempts',
  'maxRetries',
  'priority',
  'projectId',
  'inputs',
  'outputs',
  'error',
  'createdAt',
  'startedAt',
  'finishedAt',
];

/** A CSV field: quoted when needed, and never starting with a formula character. */
export function csvField(value: unknown): string {
  if (value === undefined || value === null) return '';
  let text =
    value instanceof Date
      ? value.toISOString()
      : Array.isArray(value)
        ? value.join(' ')
        : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

async function* pages(jobs: Repository<Job>, ownerId: string): AsyncGenerator<JobDto[]> {
  for (let offset = 0; ; offset += PAGE) {
    const batch = await jobs.find({
      where: { ownerId },
      order: { createdAt: 'ASC', id: 'ASC' },
      skip: offset,
      take: PAGE,
    });
    if (batch.length) yield batch.map(JobDto.from);
    if (batch.length < PAGE) return;
  }
}

/** The owner's jobs as a stream, a page of rows at a time, never all in memory. */
export function exportJobs(
  jobs: Repository<Job>,
  ownerId: string,
  format: 'csv' | 'json',
): Readable {
  return Readable.from(
    (async function* () {
      if (format === 'csv') yield `${CSV_COLUMNS.join(',')}\n`;
      else yield '[';
      let first = true;
      for await (const batch of pages(jobs, ownerId)) {
        for (const job of batch) {
          if (format === 'csv') yield `${CSV_COLUMNS.map((c) => csvField(job[c])).join(',')}\n`;
          else yield `${first ? '' : ','}\n${JSON.stringify(job)}`;
          first = false;
        }
      }
      if (format === 'json') yield '\n]\n';
    })(),
  );
}
