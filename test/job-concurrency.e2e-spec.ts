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
    let mostAtOnce = 0;
    for (;;) {
      const list = await t.http.get('/api/v1/jobs?type=generate&limit=10').set(owner.auth);
      const statuses = (list.body.data as { status: string }[]).map((j) => j.status);
      mostAtOnce = Math.max(mostAtOnce, statuses.filter((s) => s === 'processing').length);
      if (statuses.every((s) => s === 'completed' || s === 'failed')) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(mostAtOnce).toBe(1);
    for (const id of ids) expect((await waitForJob(t, owner, id)).status).toBe('completed');
  });
});
