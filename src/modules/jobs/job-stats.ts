import { Repository } from 'typeorm';
import { JobStatsDto } from './dto/job-stats.dto';
import { Job } from './entities/job.entity';
import { JobStatus, JobType } from './job-types';

/** Counts by status and type, success rate, and mean and p95 run time, in two queries. */
export async function jobStats(jobs: Repository<Job>, ownerId: string): Promise<JobStatsDto> {
  const counts = await jobs
    .createQueryBuilder('j')
    .select('j.status', 'status')
    .addSelect('j.type', 'type')
    .addSelect('count(*)::int', 'count')
    .where('j.ownerId = :ownerId', { ownerId })
    .groupBy('j.status')
    .addGroupBy('j.type')
    .getRawMany<{ status: JobStatus; type: JobType; count: number }>();
  const [times] = await jobs
    .createQueryBuilder('j')
    .select('avg(extract(epoch FROM j.finished_at - j.started_at))::float', 'mean')
    .addSelect(
      'percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM j.finished_at - j.started_at))::float',
      'p95',
    )
    .where('j.ownerId = :ownerId AND j.status = :completed', {
      ownerId,
      completed: JobStatus.Completed,
    })
    .andWhere('j.startedAt IS NOT NULL AND j.finishedAt IS NOT NULL')
    .getRawMany<{ mean: number | null; p95: number | null }>();

  const byStatus = Object.fromEntries(Object.values(JobStatus).map((s) => [s, 0]));
  const byType = Object.fromEntries(Object.values(JobType).map((t) => [t, 0]));
  for (const row of counts) {
    byStatus[row.status] += row.count;
    byType[row.type] += row.count;
  }
  const finished = byStatus[JobStatus.Completed] + byStatus[JobStatus.Failed];
  const round = (value: number | null) => (value === null ? null : Math.round(value * 1000) / 1000);
  return {
    byStatus,
    byType,
    total: counts.reduce((sum, row) => sum + row.count, 0),
    successRate: finished ? round(byStatus[JobStatus.Completed] / finished) : null,
    meanRunSec: round(times?.mean ?? null),
    p95RunSec: round(times?.p95 ?? null),
  };
}
