import { createAccount } from './support/accounts';
import { FakeGenerationServer } from './support/fake-generation-server';
import { storedPath, waitForJob } from './support/jobs';
import { sampleVideo } from './support/media-samples';
import { deleteRedisKeys } from './support/redis-keys';
import { startTestApp, TestApp } from './support/test-app';
import { runIdentity } from './support/test-env';
import { defaultBinaryPaths, MediaToolkit } from '../src/infra/media-toolkit/media-toolkit';

/** With GENERATION_BASE_URL set, generate jobs go to that service instead of the local renderer. */
describe('generate jobs through an external generation service', () => {
  const prefix = `${runIdentity().redisPrefix}-generation`;
  let server: FakeGenerationServer;
  let t: TestApp;
  let video: string;

  beforeAll(async () => {
    video = await sampleVideo({ durationSec: 3, width: 640, height: 360 });
    server = await FakeGenerationServer.start({
      videoPath: video,
      apiKey: 'gen-secret',
      progress: [20, 60],
    });
    // A queue of its own, so only this app's worker (the one that knows the service) takes the job.
    t = await startTestApp({
      REDIS_PREFIX: prefix,
      GENERATION_BASE_URL: server.baseUrl,
      GENERATION_API_KEY: 'gen-secret',
      GENERATION_MODEL: 'video-model-1',
      GENERATION_POLL_INTERVAL_MS: '20',
    });
  });
  afterAll(async () => {
    await t.close();
    await server.close();
    await deleteRedisKeys(prefix);
  });

  it('submits the prompt, polls, downloads the video and stores it as the output', async () => {
    const owner = await createAccount(t);
    const created = await t.http
      .post('/api/v1/jobs')
      .set(owner.auth)
      .send({
        type: 'generate',
        params: { prompt: 'a red kite', durationSec: 3, resolution: '720p' },
      });
    const job = await waitForJob(t, owner, created.body.id);
    expect(job.status).toBe('completed');

    const [submit] = server.requestsTo('submit');
    expect(submit.headers.authorization).toBe('Bearer gen-secret');
    expect(JSON.parse(submit.body)).toMatchObject({
      prompt: 'a red kite',
      model: 'video-model-1',
      resolution: '720p',
      durationSec: 3,
    });
    expect(server.requestsTo('download')).toHaveLength(1);
    const toolkit = new MediaToolkit({ ...defaultBinaryPaths(), defaultTimeoutMs: 30_000 });
    const probe = await toolkit.probe(await storedPath(t, job.outputs[0]));
    expect(probe).toMatchObject({ width: 640, height: 360 });
  });
});
