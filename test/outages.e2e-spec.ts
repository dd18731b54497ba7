import { setTimeout as sleep } from 'node:timers/promises';
import type { Response } from 'supertest';
import { UserRole } from '../src/common/auth/role';
import { ensureDatabase } from '../src/infra/database/ensure-database';
import { createAccount, TestAccount } from './support/accounts';
import { eventually } from './support/eventually';
import { freePort } from './support/free-port';
import { waitForJob } from './support/jobs';
import { sampleVideo } from './support/media-samples';
import { PrivatePostgres } from './support/private-postgres';
import { PrivateRedis } from './support/private-redis';
import { expectProblem } from './support/problem';
import { testEnv } from './support/test-config';
import { startTestApp, TestApp } from './support/test-app';

const THUMBNAIL = { type: 'thumbnail', params: { atSec: 0.5, width: 64 } };
// How soon after a dependency is back the service must work again, with no restart of its own.
const RECOVERY_MS = 5000;

/** Keeps `concurrency` loops of requests going until stopped; returns every status seen. */
function keepCalling(call: () => Promise<Response>, concurrency: number) {
  let running = true;
  const answers: Response[] = [];
  const loops = Array.from({ length: concurrency }, async () => {
    while (running) {
      answers.push(await call());
      await sleep(20);
    }
  });
  return {
    answers,
    stop: async () => {
      running = false;
      await Promise.all(loops);
      return answers;
    },
  };
}

describe('outages', () => {
  describe('when Redis stops and comes back empty', () => {
    let redis: PrivateRedis;
    let t: TestApp;
    let owner: TestAccount;
    let admin: TestAccount;
    let mediaId: string;

    beforeAll(async () => {
      redis = new PrivateRedis(await freePort());
      await redis.start();
      t = await startTestApp({ REDIS_URL: redis.url, JOBS_SWEEP_INTERVAL_MS: '1000' });
      owner = await createAccount(t);
      admin = await createAccount(t, UserRole.Admin);
      const upload = await t.http
        .post('/api/v1/media')
        .set(owner.auth)
        .attach('file', await sampleVideo());
      expect(upload.status).toBe(201);
      mediaId = upload.body.id;
    });

    afterAll(async () => {
      await redis.start();
      await t.close();
      await redis.stop();
    });

    const submit = () =>
      t.http
        .post('/api/v1/jobs')
        .set(owner.auth)
        .send({ ...THUMBNAIL, inputs: [mediaId] });

    it('keeps reads working, refuses queue work with 503, then recovers within 5 s and loses no job', async () => {
      // A job that only Redis holds as waiting (its queue is paused), as Redis goes away.
      await t.http.post('/api/v1/admin/queues/jobs-thumbnail/pause').set(admin.auth).expect(200);
      const waiting = await submit().expect(202);

      await redis.stop();
      await eventually(async () => {
        expect((await t.http.get('/api/v1/health/ready')).status).toBe(503);
      });
      expect((await t.http.get(`/api/v1/jobs/${waiting.body.id}`).set(owner.auth)).status).toBe(
        200,
      );
      expect((await t.http.get('/api/v1/auth/me').set(owner.auth)).status).toBe(200);
      expect((await t.http.get(`/api/v1/media/${mediaId}`).set(owner.auth)).status).toBe(200);
      const before = (await t.http.get('/api/v1/jobs').set(owner.auth)).body.meta.total;
      const refused = await submit();
      expectProblem(refused, 503);
      expect((await t.http.get('/api/v1/jobs').set(owner.auth)).body.meta.total).toBe(before);

      // Redis keeps nothing on disk here: it comes back without the job or the paused flag.
      await redis.start();
      const backAt = Date.now();
      await eventually(
        async () => {
          expect((await t.http.get('/api/v1/health/ready')).status).toBe(200);
          expect((await submit()).status).toBe(202);
        },
        { timeoutMs: RECOVERY_MS, intervalMs: 100 },
      );
      expect(Date.now() - backAt).toBeLessThan(RECOVERY_MS);

      // The sweep puts the forgotten job back; it runs once, like every job submitted since.
      const finished = await waitForJob(t, owner, waiting.body.id, ['completed', 'failed']);
      expect(finished.status).toBe('completed');
      expect(finished.attempts).toBe(1);
      const all = (await t.http.get('/api/v1/jobs?limit=100').set(owner.auth)).body.data;
      for (const job of all) {
        expect((await waitForJob(t, owner, job.id, ['completed', 'failed'])).status).toBe(
          'completed',
        );
      }
    });
  });

  describe('when PostgreSQL restarts under load', () => {
    let postgres: PrivatePostgres;
    let t: TestApp;
    let owner: TestAccount;
    let projectId: string;

    beforeAll(async () => {
      postgres = new PrivatePostgres(await freePort());
      await postgres.init();
      const databaseUrl = postgres.url('kiln_outage');
      await ensureDatabase(databaseUrl);
      t = await startTestApp({
        DATABASE_URL: databaseUrl,
        MIGRATIONS_RUN: 'true',
        // Queues of its own: no other suite's worker (on the shared database) may take its work.
        REDIS_PREFIX: `${testEnv().REDIS_PREFIX}-pg-outage`,
      });
      owner = await createAccount(t);
      const project = await t.http.post('/api/v1/projects').set(owner.auth).send({ name: 'p' });
      projectId = project.body.id;
    });

    afterAll(async () => {
      await t.close();
      await postgres.destroy();
    });

    it('answers 503 problem+json while it is down and works again within 5 s, without a restart', async () => {
      const load = keepCalling(
        () => t.http.get(`/api/v1/projects/${projectId}`).set(owner.auth),
        4,
      );
      await sleep(500);
      await postgres.stop('fast');
      await sleep(1500);
      await postgres.start();
      const backAt = Date.now();
      await eventually(
        async () => {
          const answer = await t.http.get(`/api/v1/projects/${projectId}`).set(owner.auth);
          expect(answer.status).toBe(200);
          const created = await t.http.post('/api/v1/projects').set(owner.auth).send({ name: 'q' });
          expect(created.status).toBe(201);
        },
        { timeoutMs: RECOVERY_MS, intervalMs: 100 },
      );
      expect(Date.now() - backAt).toBeLessThan(RECOVERY_MS);
      await sleep(500);
      const answers = await load.stop();

      const statuses = new Set(answers.map((answer) => answer.status));
      expect([...statuses].sort()).toEqual([200, 503]);
      for (const answer of answers.filter((a) => a.status === 503)) expectProblem(answer, 503);
      // The last answers, after the restart, are all successes.
      expect(answers.slice(-8).every((answer) => answer.status === 200)).toBe(true);
    });
  });
});
