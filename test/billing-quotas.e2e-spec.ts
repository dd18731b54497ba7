import { DataSource } from 'typeorm';
import { UsageMeter } from '../src/modules/billing/usage-meter';
import { createAccount, TestAccount } from './support/accounts';
import { countRows, onPlan, usedOf } from './support/billing';
import { eventually } from './support/eventually';
import { waitForJob } from './support/jobs';
import { sampleImage } from './support/media-samples';
import { expectProblem } from './support/problem';
import { startTestApp, TestApp } from './support/test-app';

const QUOTA_PROBLEM = 'https://kiln.dev/problems/quota-exceeded';

/** A job that needs no input and renders in a moment. */
const QUICK_JOB = {
  type: 'generate',
  params: { prompt: 'quota', durationSec: 1, resolution: '480p', quality: 'low' },
};

describe('billing: quotas', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const postJob = (account: TestAccount) =>
    t.http.post('/api/v1/jobs').set(account.auth).send(QUICK_JOB);

  const newConversation = async (account: TestAccount): Promise<string> =>
    (await t.http.post('/api/v1/conversations').set(account.auth).send({ title: 'quota' })).body.id;

  const postMessage = (account: TestAccount, conversationId: string, body: object) =>
    t.http.post(`/api/v1/conversations/${conversationId}/messages`).set(account.auth).send(body);

  describe('jobs', () => {
    it('lets exactly the last 5 of 20 racing POST /jobs through; the 15 others get 402 and write nothing', async () => {
      const account = await createAccount(t);
      await onPlan(t, account, { limits: { jobs: 8 } });
      for (let i = 0; i < 3; i++) expect((await postJob(account)).status).toBe(202);

      const answers = await Promise.all(Array.from({ length: 20 }, () => postJob(account)));

      const statuses = answers.map((r) => r.status).sort();
      expect(statuses).toEqual([...Array(5).fill(202), ...Array(15).fill(402)]);
      for (const refused of answers.filter((r) => r.status === 402)) {
        const body = expectProblem(refused, 402);
        expect(body).toMatchObject({ type: QUOTA_PROBLEM, meter: 'jobs', limit: 8, used: 8 });
      }
      expect(await countRows(t, 'jobs', 'owner_id', account.id)).toBe(8);
      expect(await usedOf(t, account.id, 'jobs')).toBe(8);
      const [{ count }] = await t.app
        .get(DataSource)
        .query(
          `SELECT count(*)::int AS count FROM usage_events WHERE user_id = $1 AND meter = 'jobs'`,
          [account.id],
        );
      expect(count).toBe(8);
    });

    it('counts processing_seconds when a job ends, once, and refuses new jobs when none are left', async () => {
      const account = await createAccount(t);
      await onPlan(t, account, { limits: { processing_seconds: 1 } });
      const job = await postJob(account);
      expect(job.status).toBe(202);
      const done = await waitForJob(t, account, job.body.id);
      expect(done.status).toBe('completed');
      const [{ started_at: startedAt, finished_at: finishedAt }] = await t.app
        .get(DataSource)
        .query('SELECT started_at, finished_at FROM jobs WHERE id = $1', [job.body.id]);
      const seconds = Math.max(1, Math.ceil((finishedAt - startedAt) / 1000));
      // Counted as the end is announced, just after the row says `completed`.
      await eventually(async () =>
        expect(await usedOf(t, account.id, 'processing_seconds')).toBe(seconds),
      );

      const refused = expectProblem(await postJob(account), 402);
      expect(refused).toMatchObject({ meter: 'processing_seconds', limit: 1, used: seconds });
      expect(await countRows(t, 'jobs', 'owner_id', account.id)).toBe(1);
    });
  });

  describe('messages and tokens', () => {
    it('lets exactly the last 5 of 20 racing messages through; the 15 others get 402 and store nothing', async () => {
      const account = await createAccount(t);
      await onPlan(t, account, { limits: { messages: 7 } });
      const conversation = await newConversation(account);
      for (let i = 0; i < 2; i++) {
        expect(
          (await postMessage(account, conversation, { content: 'hi', reply: false })).status,
        ).toBe(201);
      }

      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          postMessage(account, conversation, { content: `race ${i}`, reply: false }),
        ),
      );

      const statuses = answers.map((r) => r.status).sort();
      expect(statuses).toEqual([...Array(5).fill(201), ...Array(15).fill(402)]);
      for (const refused of answers.filter((r) => r.status === 402)) {
        expect(expectProblem(refused, 402)).toMatchObject({ meter: 'messages', limit: 7, used: 7 });
      }
      expect(await countRows(t, 'messages', 'conversation_id', conversation)).toBe(7);
      expect(await usedOf(t, account.id, 'messages')).toBe(7);
    });

    it('counts one message per post and the tokens of the question and the reply', async () => {
      const account = await createAccount(t);
      const conversation = await newConversation(account);
      const answer = await postMessage(account, conversation, {
        content: 'How long is the trailer?',
      });
      expect(answer.status).toBe(201);
      const tokens = answer.body.message.tokens + answer.body.reply.tokens;
      expect(await usedOf(t, account.id, 'messages')).toBe(1);
      expect(await usedOf(t, account.id, 'tokens')).toBe(tokens);
    });

    it('refuses a turn whose tokens would go over, before asking the provider, storing nothing', async () => {
      const account = await createAccount(t);
      await onPlan(t, account, { limits: { tokens: 3 } });
      const conversation = await newConversation(account);
      const refused = expectProblem(
        await postMessage(account, conversation, { content: 'a question of several tokens' }),
        402,
      );
      expect(refused).toMatchObject({ meter: 'tokens', limit: 3, used: 0 });
      expect(await countRows(t, 'messages', 'conversation_id', conversation)).toBe(0);
    });
  });

  describe('storage_bytes', () => {
    it('rises with uploads and job outputs, and falls with deletes', async () => {
      const account = await createAccount(t);
      const upload = await t.http
        .post('/api/v1/media')
        .set(account.auth)
        .attach('file', await sampleImage('png'));
      expect(upload.status).toBe(201);
      expect(await usedOf(t, account.id, 'storage_bytes')).toBe(upload.body.sizeBytes);

      const job = await postJob(account);
      const done = await waitForJob(t, account, job.body.id);
      const output = await t.http.get(`/api/v1/media/${done.outputs[0]}`).set(account.auth);
      expect(await usedOf(t, account.id, 'storage_bytes')).toBe(
        upload.body.sizeBytes + output.body.sizeBytes,
      );

      expect(
        (await t.http.delete(`/api/v1/media/${upload.body.id}`).set(account.auth)).status,
      ).toBe(204);
      expect(await usedOf(t, account.id, 'storage_bytes')).toBe(output.body.sizeBytes);
    });

    it('refuses an upload that does not fit (402), keeping no file and no row', async () => {
      const account = await createAccount(t);
      await onPlan(t, account, { limits: { storage_bytes: 100 } });
      const refused = await t.http
        .post('/api/v1/media')
        .set(account.auth)
        .attach('file', await sampleImage('png'));
      expect(expectProblem(refused, 402)).toMatchObject({
        meter: 'storage_bytes',
        limit: 100,
        used: 0,
      });
      expect(await countRows(t, 'media', 'owner_id', account.id)).toBe(0);
      expect(await usedOf(t, account.id, 'storage_bytes')).toBe(0);
    });
  });

  describe('embedding_documents', () => {
    it('counts upserted documents and refuses a batch that does not fit', async () => {
      const account = await createAccount(t);
      await onPlan(t, account, { limits: { embedding_documents: 3 } });
      const collection = (
        await t.http.post('/api/v1/embeddings/collections').set(account.auth).send({ name: 'q' })
      ).body.id;
      const upsert = (texts: string[]) =>
        t.http
          .post(`/api/v1/embeddings/collections/${collection}/documents`)
          .set(account.auth)
          .send({ documents: texts.map((text) => ({ text })) });

      expect((await upsert(['one', 'two'])).status).toBe(201);
      expect(await usedOf(t, account.id, 'embedding_documents')).toBe(2);
      const refused = expectProblem(await upsert(['three', 'four']), 402);
      expect(refused).toMatchObject({ meter: 'embedding_documents', limit: 3, used: 2 });
      expect(await countRows(t, 'embedding_documents', 'collection_id', collection)).toBe(2);
      expect((await upsert(['three'])).status).toBe(201);
    });
  });

  describe('usage events', () => {
    it('count a happening once per user, however often it is recorded', async () => {
      const [first, second] = [await createAccount(t), await createAccount(t)];
      const meter = t.app.get(UsageMeter);
      const dataSource = t.app.get(DataSource);
      const key = `happening:${first.id}`;
      for (const account of [first, first, second]) {
        await meter.record(dataSource.manager, account.id, 'processing_seconds', 7, key);
      }

      expect(await usedOf(t, first.id, 'processing_seconds')).toBe(7);
      expect(await usedOf(t, second.id, 'processing_seconds')).toBe(7);
      const events = await dataSource.query(
        'SELECT user_id, amount FROM usage_events WHERE idempotency_key = $1 ORDER BY user_id',
        [key],
      );
      expect(events).toEqual(
        [first.id, second.id].sort().map((id) => ({ user_id: id, amount: '7' })),
      );
    });
  });

  it('reports per meter what is used, the limit and what remains', async () => {
    const account = await createAccount(t);
    await onPlan(t, account, { limits: { jobs: 10 } });
    await postJob(account);
    const usage = await t.http.get('/api/v1/billing/usage').set(account.auth);
    expect(usage.status).toBe(200);
    expect(usage.body.period).toMatch(/^\d{4}-\d{2}$/);
    const jobs = usage.body.meters.find((m: { meter: string }) => m.meter === 'jobs');
    expect(jobs).toEqual({ meter: 'jobs', used: 1, limit: 10, remaining: 9 });
    const tokens = usage.body.meters.find((m: { meter: string }) => m.meter === 'tokens');
    expect(tokens).toEqual({ meter: 'tokens', used: 0, limit: null, remaining: null });
    expect(usage.body.meters).toHaveLength(6);
  });
});

describe('billing: metering turned off', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ BILLING_METERING: 'false' });
  });
  afterAll(() => t.close());

  it('neither counts nor refuses', async () => {
    const account = await createAccount(t);
    await onPlan(t, account, { limits: { jobs: 0 } });
    const response = await t.http
      .post('/api/v1/jobs')
      .set(account.auth)
      .send({ ...QUICK_JOB, params: { ...QUICK_JOB.params, durationSec: 60 } });
    expect(response.status).toBe(202);
    await t.http.post(`/api/v1/jobs/${response.body.id}/cancel`).set(account.auth);
    expect(await usedOf(t, account.id, 'jobs')).toBe(0);
  });
});
