import { JOB_QUEUE_NAMES } from '../src/modules/jobs/job-queue';
import { UserRole } from '../src/common/auth/role';
import { createAccount, TestAccount } from './support/accounts';
import { eventually } from './support/eventually';
import { freePort } from './support/free-port';
import { waitForJob } from './support/jobs';
import { sampleVideo } from './support/media-samples';
import { PrivateRedis } from './support/private-redis';
import { expectProblem } from './support/problem';
import { deleteRedisKeys } from './support/redis-keys';
import { startTestApp, TestApp } from './support/test-app';
import { runIdentity } from './support/test-env';
import { WebhookReceiver } from './support/webhook-receiver';

/** The value of the sample of `name` with exactly these labels, if the scrape has one. */
function sampleValue(
  text: string,
  name: string,
  labels: Record<string, string>,
): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^(\w+)\{([^}]*)\} (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries(
      [...match[2].matchAll(/(\w+)="([^"]*)"/g)].map(([, key, value]) => [key, value]),
    );
    if (
      JSON.stringify(Object.entries(found).sort()) === JSON.stringify(Object.entries(labels).sort())
    ) {
      return Number(match[3]);
    }
  }
  return undefined;
}

async function scrape(t: TestApp): Promise<string> {
  const response = await t.http.get('/api/v1/metrics');
  expect(response.status).toBe(200);
  return response.text;
}

describe('GET /metrics', () => {
  describe('without METRICS_TOKEN', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp();
    });
    afterAll(() => t.close());

    it('serves Prometheus text with request durations by route, method and status', async () => {
      await t.http.get('/api/v1/health/live');
      await t.http.get('/api/v1/no-such-route');
      const response = await t.http.get('/api/v1/metrics');
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(response.text).toMatch(
        /kiln_http_request_duration_seconds_count\{route="\/api\/v1\/health\/live",method="GET",status="200"\} [1-9]/,
      );
      expect(response.text).toMatch(
        /kiln_http_request_duration_seconds_count\{route="unmatched",method="GET",status="404"\} [1-9]/,
      );
      expect(response.text).toContain('process_resident_memory_bytes');
    });
  });

  describe('queues, job runs and webhook deliveries', () => {
    // Queues of its own, so this app's worker is the only one taking these jobs and deliveries.
    const prefix = `${runIdentity().redisPrefix}-metrics`;
    let t: TestApp;
    let receiver: WebhookReceiver;
    let owner: TestAccount;
    let admin: TestAccount;
    let videoId: string;

    beforeAll(async () => {
      t = await startTestApp({ REDIS_PREFIX: prefix });
      receiver = await WebhookReceiver.start();
      [owner, admin] = await Promise.all([createAccount(t), createAccount(t, UserRole.Admin)]);
      const upload = await t.http
        .post('/api/v1/media')
        .set(owner.auth)
        .attach('file', await sampleVideo());
      videoId = upload.body.id;
    });
    afterAll(async () => {
      await t.close();
      await receiver.close();
      await deleteRedisKeys(prefix);
    });

    const submit = (type: string, params: object) =>
      t.http
        .post('/api/v1/jobs')
        .set(owner.auth)
        .send({ type, inputs: [videoId], params });

    it('times each job run by type and outcome, and counts webhook delivery attempts by outcome', async () => {
      const hook = await t.http
        .post('/api/v1/webhooks')
        .set(owner.auth)
        .send({ url: receiver.url, events: ['job.completed'] });
      expect(hook.status).toBe(201);
      // The first attempt is answered 500, so the delivery succeeds on its second.
      receiver.failNext(1);

      const created = await submit('thumbnail', { atSec: 1, width: 160, format: 'jpeg' });
      expect(created.status).toBe(202);
      expect((await waitForJob(t, owner, created.body.id)).status).toBe('completed');

      const text = await scrape(t);
      const run = { type: 'thumbnail', outcome: 'completed' };
      expect(sampleValue(text, 'kiln_job_run_duration_seconds_count', run)).toBe(1);
      expect(sampleValue(text, 'kiln_job_run_duration_seconds_sum', run)).toBeGreaterThan(0);
      expect(
        sampleValue(text, 'kiln_job_run_duration_seconds_bucket', { ...run, le: '+Inf' }),
      ).toBe(1);

      await eventually(async () => {
        expect(receiver.requests.map((r) => r.status)).toEqual([500, 200]);
        const after = await scrape(t);
        const attempts = (outcome: string) =>
          sampleValue(after, 'kiln_webhook_delivery_attempts_total', { outcome });
        expect(attempts('retrying')).toBe(1);
        expect(attempts('succeeded')).toBe(1);
        expect(attempts('failed')).toBeUndefined();
      });
    });

    it('shows the jobs of every queue by state, and which queues are paused', async () => {
      const pause = await t.http.post('/api/v1/admin/queues/jobs-transcode/pause').set(admin.auth);
      expect(pause.status).toBe(200);
      const ids: string[] = [];
      for (let i = 0; i < 2; i++) {
        const created = await submit('transcode', { resolution: '480p', quality: 'low' });
        expect(created.status).toBe(202);
        ids.push(created.body.id);
      }
      try {
        const text = await scrape(t);
        const jobs = (queue: string, state: string) =>
          sampleValue(text, 'kiln_queue_jobs', { queue, state });
        expect(jobs('jobs-transcode', 'paused')).toBe(2);
        expect(jobs('jobs-transcode', 'waiting')).toBe(0);
        expect(sampleValue(text, 'kiln_queue_paused', { queue: 'jobs-transcode' })).toBe(1);
        for (const queue of [...JOB_QUEUE_NAMES, 'webhooks']) {
          for (const state of ['waiting', 'active', 'delayed', 'failed', 'completed', 'paused']) {
            expect(jobs(queue, state)).toEqual(expect.any(Number));
          }
        }
        expect(sampleValue(text, 'kiln_queue_paused', { queue: 'jobs-thumbnail' })).toBe(0);
        expect(sampleValue(text, 'kiln_queue_paused', { queue: 'webhooks' })).toBe(0);
      } finally {
        // Cancelled rows are no work for any worker's sweep.
        for (const id of ids) await t.http.post(`/api/v1/jobs/${id}/cancel`).set(owner.auth);
        await t.http.post('/api/v1/admin/queues/jobs-transcode/resume').set(admin.auth);
      }
    });
  });

  describe('when Redis does not answer', () => {
    let t: TestApp;
    let redis: PrivateRedis;

    beforeAll(async () => {
      redis = new PrivateRedis(await freePort());
      await redis.start();
      t = await startTestApp({ REDIS_URL: redis.url });
    });
    afterAll(async () => {
      await redis.start();
      await t.close();
      await redis.stop();
    });

    it('still answers 200 at once, leaving the queue gauges out until Redis is back', async () => {
      expect(sampleValue(await scrape(t), 'kiln_queue_paused', { queue: 'webhooks' })).toBe(0);

      await redis.stop();
      const started = Date.now();
      const text = await scrape(t);
      expect(Date.now() - started).toBeLessThan(5000);
      expect(text).toContain('# TYPE kiln_queue_jobs gauge');
      expect(text).not.toMatch(/^kiln_queue_(jobs|paused)\{/m);
      expect(text).toContain('kiln_http_request_duration_seconds_count');

      await redis.start();
      await eventually(async () => {
        expect(sampleValue(await scrape(t), 'kiln_queue_paused', { queue: 'webhooks' })).toBe(0);
      });
    });
  });

  describe('with METRICS_TOKEN set', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ METRICS_TOKEN: 'scrape-secret' });
    });
    afterAll(() => t.close());

    it('answers 401 problem+json without the token', async () => {
      expectProblem(await t.http.get('/api/v1/metrics'), 401);
    });

    it('answers 401 with a wrong token', async () => {
      const response = await t.http.get('/api/v1/metrics').set('Authorization', 'Bearer nope');
      expectProblem(response, 401);
    });

    it('answers 200 with the token', async () => {
      const response = await t.http
        .get('/api/v1/metrics')
        .set('Authorization', 'Bearer scrape-secret');
      expect(response.status).toBe(200);
    });
  });
});
