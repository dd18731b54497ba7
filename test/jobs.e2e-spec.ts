import { randomUUID } from 'node:crypto';
import { readdir, rm, stat } from 'node:fs/promises';
import { DataSource } from 'typeorm';
import { UserRole } from '../src/common/auth/role';
import { defaultBinaryPaths, MediaToolkit } from '../src/infra/media-toolkit/media-toolkit';
import { JobQueues } from '../src/modules/jobs/job-queue';
import { JobType } from '../src/modules/jobs/job-types';
import { JobsWorker } from '../src/modules/jobs/jobs.worker';
import { createAccount, TestAccount } from './support/accounts';
import { usedOf } from './support/billing';
import { eventually } from './support/eventually';
import { storedPath, waitForJob } from './support/jobs';
import { runningMediaChildren, sampleImage, sampleVideo } from './support/media-samples';
import { expectProblem } from './support/problem';
import { startTestApp, TestApp } from './support/test-app';
import { WebhookReceiver } from './support/webhook-receiver';

const toolkit = new MediaToolkit({ ...defaultBinaryPaths(), defaultTimeoutMs: 30_000 });

describe('jobs', () => {
  let t: TestApp;
  let owner: TestAccount;
  let other: TestAccount;
  let operator: TestAccount;
  let videoId: string;

  beforeAll(async () => {
    t = await startTestApp();
    [owner, other, operator] = await Promise.all([
      createAccount(t),
      createAccount(t),
      createAccount(t, UserRole.Operator),
    ]);
    videoId = await uploadVideo(owner);
  });
  afterAll(() => t.close());

  async function uploadVideo(
    account: TestAccount,
    durationSec = 2,
    width = 320,
    height = 240,
  ): Promise<string> {
    const path = await sampleVideo({ durationSec, width, height });
    const response = await t.http.post('/api/v1/media').set(account.auth).attach('file', path);
    expect(response.status).toBe(201);
    return response.body.id;
  }

  const submit = (account: TestAccount, body: object, key?: string) => {
    const request = t.http.post('/api/v1/jobs').set(account.auth);
    if (key) request.set('Idempotency-Key', key);
    return request.send(body);
  };

  async function completed(account: TestAccount, body: object) {
    const created = await submit(account, body);
    expect(created.status).toBe(202);
    expect(created.body.status).toBe('queued');
    const job = await waitForJob(t, account, created.body.id);
    expect(job).toMatchObject({ status: 'completed', progress: 100 });
    expect(job.outputs).toHaveLength(1);
    return { job, probe: await toolkit.probe(await storedPath(t, job.outputs[0])) };
  }

  describe('each type, end to end', () => {
    it('transcodes to 480p', async () => {
      const { job, probe } = await completed(owner, {
        type: 'transcode',
        inputs: [videoId],
        params: { resolution: '480p', quality: 'low', format: 'mp4' },
      });
      expect(probe.height).toBe(480);
      const output = await t.http.get(`/api/v1/media/${job.outputs[0]}`).set(owner.auth);
      expect(output.body).toMatchObject({ kind: 'output', jobId: job.id, mimeType: 'video/mp4' });
    });

    it('makes a thumbnail of the asked width', async () => {
      const { probe } = await completed(owner, {
        type: 'thumbnail',
        inputs: [videoId],
        params: { atSec: 1, width: 160, format: 'jpeg' },
      });
      expect(probe.width).toBe(160);
      expect(probe.hasVideo).toBe(true);
    });

    it('joins three 2 s clips into a 6 s montage', async () => {
      const clips = [
        videoId,
        await uploadVideo(owner, 2, 320, 240),
        await uploadVideo(owner, 2, 160, 120),
      ];
      const { probe } = await completed(owner, {
        type: 'montage',
        inputs: clips,
        params: { resolution: '480p' },
      });
      expect(probe.durationSec).toBeGreaterThan(5.6);
      expect(probe.durationSec).toBeLessThan(6.5);
      expect(probe.height).toBe(480);
    });

    it('extracts the audio', async () => {
      const { probe } = await completed(owner, {
        type: 'audio-extract',
        inputs: [videoId],
        params: { format: 'mp3' },
      });
      expect(probe).toMatchObject({ hasAudio: true, hasVideo: false });
    });

    it('generates a video of the asked duration from a prompt', async () => {
      const { probe } = await completed(owner, {
        type: 'generate',
        params: {
          prompt: 'A kiln at dawn: "fire" & smoke',
          resolution: '480p',
          quality: 'low',
          durationSec: 2,
        },
      });
      expect(probe.durationSec).toBeCloseTo(2, 0);
      expect(probe.height).toBe(480);
    });
  });

  describe('POST /jobs validation', () => {
    it.each([
      ['no input for transcode', { type: 'transcode' }, 'inputs'],
      ['one input for a montage', { type: 'montage', inputs: ['VIDEO'] }, 'inputs'],
      [
        'inputs for generate',
        { type: 'generate', inputs: ['VIDEO'], params: { prompt: 'x' } },
        'inputs',
      ],
      [
        'an unknown resolution',
        { type: 'transcode', inputs: ['VIDEO'], params: { resolution: '999p' } },
        'params.resolution',
      ],
      [
        'an unknown param',
        { type: 'thumbnail', inputs: ['VIDEO'], params: { colour: 'red' } },
        'params.colour',
      ],
      [
        'a prompt too long',
        { type: 'generate', params: { prompt: 'x'.repeat(2001) } },
        'params.prompt',
      ],
      [
        'a duration over 60 s',
        { type: 'generate', params: { prompt: 'x', durationSec: 61 } },
        'params.durationSec',
      ],
      ['an unknown type', { type: 'upscale' }, 'type'],
      ['a bad priority', { type: 'generate', params: { prompt: 'x' }, priority: 99 }, 'priority'],
    ])('answers 400 for %s, and creates nothing', async (_name, body, field) => {
      const withIds = JSON.parse(JSON.stringify(body).replace(/VIDEO/g, videoId));
      const response = await submit(owner, withIds);
      const problem = expectProblem(response, 400);
      expect((problem.errors as { field: string }[]).map((e) => e.field)).toContain(field);
    });

    it('answers 400 when an input is not a video', async () => {
      const image = await t.http
        .post('/api/v1/media')
        .set(owner.auth)
        .attach('file', await sampleImage('png'));
      const response = await submit(owner, { type: 'transcode', inputs: [image.body.id] });
      expect((expectProblem(response, 400).errors as { field: string }[])[0].field).toBe(
        'inputs.0',
      );
    });

    it("answers 403 for another user's media, 404 for unknown media or project, 409 for an archived project", async () => {
      expectProblem(await submit(other, { type: 'transcode', inputs: [videoId] }), 403);
      expectProblem(await submit(owner, { type: 'transcode', inputs: [randomUUID()] }), 404);
      const project = (await t.http.post('/api/v1/projects').set(owner.auth).send({ name: 'J' }))
        .body;
      await t.http
        .patch(`/api/v1/projects/${project.id}`)
        .set(owner.auth)
        .send({ status: 'archived' });
      expectProblem(
        await submit(owner, { type: 'transcode', inputs: [videoId], projectId: project.id }),
        409,
      );
      expectProblem(
        await submit(owner, { type: 'transcode', inputs: [videoId], projectId: randomUUID() }),
        404,
      );
    });

    it('honours Idempotency-Key: one job for two identical requests, 422 for a different one', async () => {
      const key = randomUUID();
      const body = {
        type: 'generate',
        params: { prompt: 'same', durationSec: 1, resolution: '480p' },
      };
      const first = await submit(owner, body, key);
      const again = await submit(
        owner,
        { params: { durationSec: 1, resolution: '480p', prompt: 'same' }, type: 'generate' },
        key,
      );
      expect(again.status).toBe(202);
      expect(again.body.id).toBe(first.body.id);
      expectProblem(await submit(owner, { ...body, priority: 3 }, key), 422);
      await waitForJob(t, owner, first.body.id);
    });
  });

  describe('live events', () => {
    it('streams status and progress in order and ends with the job', async () => {
      const created = await submit(owner, {
        type: 'generate',
        params: { prompt: 'events', durationSec: 8, resolution: '480p', quality: 'low' },
      });
      const response = await t.http
        .get(`/api/v1/jobs/${created.body.id}/events`)
        .set(owner.auth)
        .buffer(true)
        .parse((res, callback) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () => callback(null, text));
        });
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/event-stream/);
      const events = (response.body as string)
        .split('\n\n')
        .filter((block) => block.startsWith('event:'))
        .map((block) => {
          const [eventLine, dataLine] = block.split('\n');
          return { event: eventLine.slice(7), data: JSON.parse(dataLine.slice(6)) };
        });
      const statuses = events.filter((e) => e.event === 'status').map((e) => e.data.status);
      const lifecycle = ['queued', 'processing', 'completed'];
      const order = statuses.map((status) => lifecycle.indexOf(status));
      expect(order.every((step) => step >= 0)).toBe(true);
      expect([...order].sort((a, b) => a - b)).toEqual(order);
      expect(statuses.at(-1)).toBe('completed');
      const progress = events.filter((e) => e.event === 'progress').map((e) => e.data.progress);
      expect([...progress].sort((a, b) => a - b)).toEqual(progress);
    });

    it('answers 403 to another user and 404 for an unknown job', async () => {
      expectProblem(await t.http.get(`/api/v1/jobs/${randomUUID()}/events`).set(owner.auth), 404);
      const created = await submit(owner, {
        type: 'generate',
        params: { prompt: 'x', durationSec: 1, resolution: '480p' },
      });
      expectProblem(
        await t.http.get(`/api/v1/jobs/${created.body.id}/events`).set(other.auth),
        403,
      );
      await waitForJob(t, owner, created.body.id);
    });
  });

  describe('a failure while finishing', () => {
    const refuseDeliveries = `
      CREATE FUNCTION kiln_test_refuse_delivery() RETURNS trigger LANGUAGE plpgsql AS
        $$ BEGIN RAISE EXCEPTION 'delivery refused by the test'; END $$;
      CREATE TRIGGER kiln_test_refuse_delivery BEFORE INSERT ON webhook_deliveries
        FOR EACH ROW EXECUTE FUNCTION kiln_test_refuse_delivery();`;
    afterEach(() =>
      t.app
        .get(DataSource)
        .query(
          'DROP TRIGGER IF EXISTS kiln_test_refuse_delivery ON webhook_deliveries; ' +
            'DROP FUNCTION IF EXISTS kiln_test_refuse_delivery()',
        ),
    );

    it('keeps no output row, file or count when the final transaction fails', async () => {
      const account = await createAccount(t);
      const video = await uploadVideo(account);
      const registered = await t.http
        .post('/api/v1/webhooks')
        .set(account.auth)
        .send({ url: 'http://127.0.0.1:9/hooks', events: ['job.completed'] });
      expect(registered.status).toBe(201);
      const db = t.app.get(DataSource);
      const filesBefore = await readdir(`${t.config.storage.dir}/media`);
      const storageUsed = () =>
        db.query("SELECT used FROM usage_counters WHERE user_id = $1 AND meter = 'storage_bytes'", [
          account.id,
        ]);
      const storageBefore = await storageUsed();
      await db.query(refuseDeliveries);

      const created = await submit(account, {
        type: 'thumbnail',
        inputs: [video],
        params: { atSec: 1 },
        maxRetries: 0,
      });
      const job = await waitForJob(t, account, created.body.id);
      expect(job.status).toBe('failed');
      expect(job.error).toContain('delivery refused by the test');
      expect(job.outputs).toEqual([]);
      expect(await db.query('SELECT id FROM media WHERE job_id = $1', [created.body.id])).toEqual(
        [],
      );
      expect(await readdir(`${t.config.storage.dir}/media`)).toEqual(filesBefore);
      expect(await storageUsed()).toEqual(storageBefore);
    });
  });

  describe('cancel, retry, delete', () => {
    it('cancels a running job: its ffmpeg is stopped and nothing is kept', async () => {
      const created = await submit(owner, {
        type: 'generate',
        params: { prompt: 'long', durationSec: 60, resolution: '1080p', quality: 'high' },
      });
      await waitForJob(t, owner, created.body.id, ['processing']);
      await eventually(async () => expect(await runningMediaChildren()).not.toEqual([]));
      expectProblem(
        await t.http.post(`/api/v1/jobs/${created.body.id}/cancel`).set(other.auth),
        403,
      );
      const cancel = await t.http.post(`/api/v1/jobs/${created.body.id}/cancel`).set(owner.auth);
      expect(cancel.status).toBe(200);
      expect(cancel.body.status).toBe('cancelled');
      await eventually(async () => expect(await runningMediaChildren()).toEqual([]));
      const job = await waitForJob(t, owner, created.body.id, ['cancelled']);
      expect(job.outputs).toEqual([]);
      expectProblem(
        await t.http.post(`/api/v1/jobs/${created.body.id}/cancel`).set(owner.auth),
        409,
      );
    });

    it('keeps a job waiting for a media slot queued, and a cancel ends its wait at once', async () => {
      const long = { prompt: 'slot', durationSec: 60, resolution: '1080p', quality: 'high' };
      const running = await submit(owner, { type: 'generate', params: long });
      await waitForJob(t, owner, running.body.id, ['processing']);
      const waiting = await submit(owner, { type: 'generate', params: long });
      const queue = t.app.get(JobQueues).of(JobType.Generate);
      // The worker holds it (Bull's active) while its one generate slot is taken.
      await eventually(async () =>
        expect(await (await queue.getJob(waiting.body.id))?.isActive()).toBe(true),
      );
      const seen = await t.http.get(`/api/v1/jobs/${waiting.body.id}`).set(owner.auth);
      expect(seen.body.status).toBe('queued');
      expect(seen.body).not.toHaveProperty('startedAt');

      await t.http.post(`/api/v1/jobs/${waiting.body.id}/cancel`).set(owner.auth).expect(200);
      // Retry needs the worker to have let go of it: well before the running job ends.
      const retried = await t.http.post(`/api/v1/jobs/${waiting.body.id}/retry`).set(owner.auth);
      expect(retried.status).toBe(202);
      for (const { body } of [waiting, running]) {
        await t.http.post(`/api/v1/jobs/${body.id}/cancel`).set(owner.auth).expect(200);
      }
      await eventually(async () => expect(await runningMediaChildren()).toEqual([]));
    });

    it('lets an operator cancel and retry a user’s job, audited', async () => {
      const created = await submit(owner, {
        type: 'generate',
        params: { prompt: 'support', durationSec: 30, resolution: '1080p' },
      });
      await t.http.post(`/api/v1/jobs/${created.body.id}/cancel`).set(operator.auth).expect(200);
      const retried = await t.http.post(`/api/v1/jobs/${created.body.id}/retry`).set(operator.auth);
      expect(retried.status).toBe(202);
      expect(retried.body).toMatchObject({ status: 'queued', progress: 0 });
      await t.http.post(`/api/v1/jobs/${created.body.id}/cancel`).set(owner.auth).expect(200);
      const audit = await t.app
        .get(DataSource)
        .query('SELECT action FROM audit_log WHERE target_id = $1 ORDER BY created_at', [
          created.body.id,
        ]);
      expect(audit.map((r: { action: string }) => r.action)).toEqual([
        'job.cancelled',
        'job.retried',
      ]);
    });

    it('answers 409 to retrying a completed job and to deleting a queued one; deletes a finished one', async () => {
      const created = await submit(owner, {
        type: 'generate',
        params: { prompt: 'x', durationSec: 1, resolution: '480p' },
      });
      expectProblem(await t.http.delete(`/api/v1/jobs/${created.body.id}`).set(owner.auth), 409);
      const done = await waitForJob(t, owner, created.body.id);
      expectProblem(await t.http.post(`/api/v1/jobs/${done.id}/retry`).set(owner.auth), 409);
      expectProblem(await t.http.delete(`/api/v1/jobs/${done.id}`).set(other.auth), 403);
      expect((await t.http.delete(`/api/v1/jobs/${done.id}`).set(owner.auth)).status).toBe(204);
      expectProblem(await t.http.get(`/api/v1/jobs/${done.id}`).set(owner.auth), 404);
      // The outputs are the user's media and stay.
      expect((await t.http.get(`/api/v1/media/${done.outputs[0]}`).set(owner.auth)).status).toBe(
        200,
      );
    });

    it('refuses to delete media a queued or running job uses', async () => {
      const input = await uploadVideo(owner);
      const created = await submit(owner, {
        type: 'transcode',
        inputs: [input],
        params: { resolution: '2160p', quality: 'high' },
      });
      expectProblem(await t.http.delete(`/api/v1/media/${input}`).set(owner.auth), 409);
      await waitForJob(t, owner, created.body.id);
      expect((await t.http.delete(`/api/v1/media/${input}`).set(owner.auth)).status).toBe(204);
    });
  });

  describe('failures', () => {
    it('retries through Bull, then stores the error without server paths', async () => {
      const input = await uploadVideo(owner);
      await rm(await storedPath(t, input));
      const created = await submit(owner, { type: 'transcode', inputs: [input], maxRetries: 1 });
      const job = await waitForJob(t, owner, created.body.id);
      expect(job).toMatchObject({ status: 'failed', attempts: 2 });
      expect(job.error).toBeTruthy();
      expect(job.error).not.toContain(t.config.storage.dir);
      const retried = await t.http.post(`/api/v1/jobs/${job.id}/retry`).set(owner.auth);
      expect(retried.status).toBe(202);
      await waitForJob(t, owner, job.id, ['failed']);
    });
  });

  describe('the sweep', () => {
    it('re-enqueues a job PostgreSQL has as queued but Redis lost', async () => {
      const [row] = await t.app.get(DataSource).query(
        `INSERT INTO jobs (owner_id, type, status, params, inputs, updated_at)
         VALUES ($1, 'generate', 'queued', $2, '{}', now() - interval '1 minute') RETURNING id`,
        [
          owner.id,
          JSON.stringify({ prompt: 'lost', resolution: '480p', quality: 'low', durationSec: 1 }),
        ],
      );
      expect(await t.app.get(JobsWorker).sweep()).toBeGreaterThanOrEqual(1);
      expect(await waitForJob(t, owner, row.id)).toMatchObject({ status: 'completed' });
    });

    it('runs a completed job put back to queued again, and its new outputs replace the old', async () => {
      const { job: first } = await completed(owner, {
        type: 'thumbnail',
        inputs: [videoId],
        params: { atSec: 0.5, width: 64 },
      });
      const [oldOutput] = first.outputs;
      const oldFile = await storedPath(t, oldOutput);
      const sizeOf = async (id: string): Promise<number> =>
        (await t.http.get(`/api/v1/media/${id}`).set(owner.auth)).body.sizeBytes;
      const oldSize = await sizeOf(oldOutput);
      const storedBefore = await usedOf(t, owner.id, 'storage_bytes');
      // As a restore of the row from before its completion would leave it.
      await t.app
        .get(DataSource)
        .query(
          `UPDATE jobs SET status = 'queued', updated_at = now() - interval '1 minute' WHERE id = $1`,
          [first.id],
        );
      expect(await t.app.get(JobsWorker).sweep()).toBeGreaterThanOrEqual(1);
      const again = await eventually(async () => {
        const job = await waitForJob(t, owner, first.id);
        expect(job.outputs).not.toEqual(first.outputs);
        return job;
      });
      expect(again.outputs).toHaveLength(1);
      const outputs = await t.app
        .get(DataSource)
        .query(`SELECT id FROM media WHERE job_id = $1 AND kind = 'output'`, [first.id]);
      expect(outputs).toEqual([{ id: again.outputs[0] }]);
      // The old output is counted out of the owner's storage, the new one in.
      expect(await usedOf(t, owner.id, 'storage_bytes')).toBe(
        storedBefore - oldSize + (await sizeOf(again.outputs[0])),
      );
      expectProblem(await t.http.get(`/api/v1/media/${oldOutput}`).set(owner.auth), 404);
      // Its file goes once the replacement is committed.
      await eventually(() => expect(stat(oldFile)).rejects.toMatchObject({ code: 'ENOENT' }));
    });
  });

  describe('lists, stats, export', () => {
    it('lists with filters, and lets staff see a user’s jobs', async () => {
      const list = await t.http
        .get('/api/v1/jobs?type=generate&status=completed&sort=-createdAt')
        .set(owner.auth);
      expect(list.status).toBe(200);
      expect(
        list.body.data.every(
          (j: { type: string; status: string }) =>
            j.type === 'generate' && j.status === 'completed',
        ),
      ).toBe(true);
      const theirs = await t.http.get('/api/v1/jobs').set(other.auth);
      expect(theirs.body.data.some((j: { ownerId: string }) => j.ownerId === owner.id)).toBe(false);
      const staff = await t.http.get(`/api/v1/users/${owner.id}/jobs`).set(operator.auth);
      expect(staff.body.meta.total).toBeGreaterThan(0);
      expectProblem(await t.http.get(`/api/v1/users/${owner.id}/jobs`).set(other.auth), 403);
      expectProblem(await t.http.get('/api/v1/jobs?status=lost').set(owner.auth), 400);
    });

    it('has stats: counts by status and type, success rate, run times', async () => {
      const stats = await t.http.get('/api/v1/jobs/stats').set(owner.auth);
      expect(stats.status).toBe(200);
      expect(stats.body.byStatus.completed).toBeGreaterThan(0);
      expect(stats.body.byType).toHaveProperty('montage');
      expect(stats.body.successRate).toBeGreaterThan(0);
      expect(stats.body.successRate).toBeLessThanOrEqual(1);
      expect(stats.body.meanRunSec).toBeGreaterThan(0);
      expect(stats.body.p95RunSec).toBeGreaterThanOrEqual(stats.body.meanRunSec * 0.5);
    });

    it('exports the caller’s jobs as CSV and JSON downloads', async () => {
      const csv = await t.http.get('/api/v1/jobs/export?format=csv').set(owner.auth);
      expect(csv.status).toBe(200);
      expect(csv.headers['content-type']).toMatch(/^text\/csv/);
      expect(csv.headers['content-disposition']).toContain('kiln-jobs.csv');
      const lines = csv.text.trim().split('\n');
      expect(lines[0]).toMatch(/^id,type,status/);
      const json = await t.http.get('/api/v1/jobs/export?format=json').set(owner.auth);
      const jobs = JSON.parse(json.text);
      expect(jobs.length).toBe(lines.length - 1);
      expect(jobs.every((j: { ownerId: string }) => j.ownerId === owner.id)).toBe(true);
      expectProblem(await t.http.get('/api/v1/jobs/export?format=xml').set(owner.auth), 400);
      expectProblem(await t.http.get('/api/v1/jobs/export?format=json'), 401);
    });
  });

  describe('webhooks', () => {
    it('delivers job.completed, signed, to the owner’s webhook', async () => {
      const receiver = await WebhookReceiver.start();
      try {
        const account = await createAccount(t);
        await t.http
          .post('/api/v1/webhooks')
          .set(account.auth)
          .send({ url: receiver.url, events: ['job.completed'] });
        const created = await submit(account, {
          type: 'generate',
          params: { prompt: 'hook', durationSec: 1, resolution: '480p' },
        });
        await waitForJob(t, account, created.body.id);
        const delivery = await eventually(async () => {
          expect(receiver.requests).toHaveLength(1);
          return receiver.requests[0];
        });
        expect(delivery.headers['kiln-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
        expect(JSON.parse(delivery.body)).toMatchObject({
          type: 'job.completed',
          data: { id: created.body.id, status: 'completed' },
        });
      } finally {
        await receiver.close();
      }
    });
  });

  describe('queue administration', () => {
    it('shows counts to staff, pauses and resumes with an audit entry, 403 to users', async () => {
      const admin = await createAccount(t, UserRole.Admin);
      const counts = await t.http.get('/api/v1/admin/queues').set(operator.auth);
      expect(counts.body.map((q: { name: string }) => q.name).sort()).toEqual([
        'jobs-audio-extract',
        'jobs-generate',
        'jobs-montage',
        'jobs-thumbnail',
        'jobs-transcode',
        'webhooks',
      ]);
      expect(counts.body[0]).toMatchObject({
        waiting: expect.any(Number),
        paused: expect.any(Boolean),
      });
      expectProblem(await t.http.get('/api/v1/admin/queues').set(owner.auth), 403);
      const paused = await t.http.post('/api/v1/admin/queues/webhooks/pause').set(admin.auth);
      expect(paused.body).toMatchObject({ name: 'webhooks', paused: true });
      const resumed = await t.http.post('/api/v1/admin/queues/webhooks/resume').set(admin.auth);
      expect(resumed.body.paused).toBe(false);
      const retried = await t.http
        .post('/api/v1/admin/queues/jobs-transcode/retry-failed')
        .set(admin.auth);
      expect(retried.body.retried).toEqual(expect.any(Number));
      expectProblem(await t.http.post('/api/v1/admin/queues/nope/pause').set(admin.auth), 404);
      const audit = await t.http.get(`/api/v1/admin/audit-log?actorId=${admin.id}`).set(admin.auth);
      expect(audit.body.data.map((e: { action: string }) => e.action).sort()).toEqual([
        'queue.failed_retried',
        'queue.paused',
        'queue.resumed',
      ]);
    });
  });
});
