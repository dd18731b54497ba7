import { createAccount } from './support/accounts';
import { waitForJob } from './support/jobs';
import { deleteRedisKeys } from './support/redis-keys';
import { startTestApp, TestApp } from './support/test-app';
import { runIdentity } from './support/test-env';

/** JOBS_CONCURRENCY is a limit per job type and per worker, whatever else is queued. */
describe('job concurrency', () => {
  const prefix = `${runIdentity().redisPrefix}-concurrency`;
  let t: TestApp;

  beforeAll(async () => {
    // A queue of its own, so this app's worker is the only one taking these jobs.
    t = await startTestApp({
      REDIS_PREFIX: prefix,
      JOBS_CONCURRENCY: 'transcode=1,thumbnail=3,montage=1,audio-extract=1,generate=1',
    });
  });
  afterAll(async () => {
    await t.close();
    await deleteRedisKeys(prefix);
  });

  it('runs no more generate jobs at once than its type allows', async () => {
    const owner = await createAccount(t);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const created = await t.http
        .post('/api/v1/jobs')
        .set(owner.auth)
        .send({
          type: 'generate',
          params: { prompt: `job ${i}`, durationSec: 3, resolution: '480p', quality: 'low' },
        });
      ids.push(created.body.id);
    }
    const jobs = [];
    for (const id of ids) jobs.push(await waitForJob(t, owner, id));
    expect(jobs.map((job) => job.status)).toEqual(['completed', 'completed', 'completed']);
    // A job's run, startedAt to finishedAt, is its time in the type's one slot (the final
    // transaction comes after): no two may overlap.
    const runs = jobs
      .map((job) => [Date.parse(job.startedAt!), Date.parse(job.finishedAt!)])
      .sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < runs.length; i++) expect(runs[i][0]).toBeGreaterThanOrEqual(runs[i - 1][1]);
  });
});
