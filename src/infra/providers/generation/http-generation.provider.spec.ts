import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  FakeGenerationBehaviour,
  FakeGenerationServer,
} from '../../../../test/support/fake-generation-server';
import { eventually } from '../../../../test/support/eventually';
import { freePort } from '../../../../test/support/free-port';
import { sampleVideo } from '../../../../test/support/media-samples';
import {
  MediaCancelledError,
  MediaTimeoutError,
  RunOptions,
} from '../../media-toolkit/media-toolkit';
import { GenerationRequest } from './generation-provider';
import { GenerationServiceError } from './generation-protocol';
import { HttpGenerationOptions, HttpGenerationProvider } from './http-generation.provider';
import { MAX_ATTEMPTS } from './retry';

const API_KEY = 'sk-test-0123456789abcdef';
const request: GenerationRequest = {
  prompt: 'A kiln glowing at dusk, sparks rising',
  resolution: '720p',
  quality: 'medium',
  durationSec: 4,
};

function isIncreasing(values: number[]): boolean {
  return values.every((value, index) => index === 0 || value > values[index - 1]);
}

describe('HttpGenerationProvider', () => {
  let root: string;
  let video: string;
  let outputDir: string;
  let servers: FakeGenerationServer[] = [];

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'kiln-http-generation-'));
    video = await sampleVideo({ durationSec: 1, withAudio: false });
  });

  afterAll(() => rm(root, { recursive: true, force: true }));

  beforeEach(async () => {
    outputDir = await mkdtemp(join(root, 'job-'));
  });

  afterEach(async () => {
    await Promise.all(servers.map((server) => server.close()));
    servers = [];
  });

  async function startService(
    behaviour: Partial<FakeGenerationBehaviour> = {},
  ): Promise<FakeGenerationServer> {
    const server = await FakeGenerationServer.start({
      apiKey: API_KEY,
      videoPath: video,
      ...behaviour,
    });
    servers.push(server);
    return server;
  }

  function providerFor(
    server: FakeGenerationServer,
    options: Partial<HttpGenerationOptions> = {},
  ): HttpGenerationProvider {
    return new HttpGenerationProvider({
      baseUrl: server.baseUrl,
      apiKey: API_KEY,
      pollIntervalMs: 20,
      requestTimeoutMs: 2000,
      ...options,
    });
  }

  /** Runs a generation into the test's directory; the error it rejected with, if it did. */
  async function generate(
    provider: HttpGenerationProvider,
    run: RunOptions = {},
    job: GenerationRequest = request,
  ): Promise<Error | undefined> {
    return provider.generate(job, join(outputDir, 'output.mp4'), run).then(
      () => undefined,
      (error: Error) => error,
    );
  }

  const filesLeft = () => readdir(outputDir);

  it('generates: submits the job with the key, polls with progress, downloads the video', async () => {
    const server = await startService({ progress: [10, 40, 80] });
    const reported: number[] = [];
    const provider = providerFor(server, { defaultModel: 'kiln-video-1' });

    expect(await generate(provider, { onProgress: (percent) => reported.push(percent) })).toBe(
      undefined,
    );

    expect(provider.name).toBe('http');
    expect(await readFile(join(outputDir, 'output.mp4'))).toEqual(await readFile(video));
    expect(await filesLeft()).toEqual(['output.mp4']);
    expect(isIncreasing(reported)).toBe(true);
    expect(reported).toEqual(expect.arrayContaining([9, 36, 72]));
    expect(reported.at(-1)).toBe(100);
    const [submit] = server.requestsTo('submit');
    expect(JSON.parse(submit.body)).toEqual({ ...request, model: 'kiln-video-1' });
    expect(submit.headers['content-type']).toBe('application/json');
    expect(server.requestsTo('poll')).toHaveLength(4);
    expect(server.requestsTo('download')).toHaveLength(1);
    expect(server.requestsTo('cancel')).toHaveLength(0);
    for (const received of server.requests) {
      expect(received.headers.authorization).toBe(`Bearer ${API_KEY}`);
    }
  });

  it("sends the job's model over the default one, and none when neither names one", async () => {
    const server = await startService();
    await generate(
      providerFor(server, { defaultModel: 'kiln-video-1' }),
      {},
      {
        ...request,
        model: 'special-model',
      },
    );
    await generate(providerFor(server));
    const [withModel, withoutModel] = server.requestsTo('submit').map((r) => JSON.parse(r.body));
    expect(withModel.model).toBe('special-model');
    expect(withoutModel).not.toHaveProperty('model');
  });

  it('downloads an absolute videoUrl elsewhere without handing the key to that origin', async () => {
    const storage = await startService({ apiKey: undefined });
    const server = await startService({ videoUrl: (id) => `${storage.baseUrl}/videos/${id}.mp4` });

    expect(await generate(providerFor(server))).toBe(undefined);

    expect(await readFile(join(outputDir, 'output.mp4'))).toEqual(await readFile(video));
    const [download] = storage.requestsTo('download');
    expect(download.headers.authorization).toBeUndefined();
  });

  it("rejects with the service's reason when the generation fails, without key or paths", async () => {
    const server = await startService({
      progress: [30],
      failWith: `Prompt refused by the safety filter (key ${API_KEY}, /srv/models/v2/weights.bin)`,
    });

    const error = await generate(providerFor(server));

    expect(error).toBeInstanceOf(GenerationServiceError);
    expect(error?.message).toBe(
      'The generation service could not make the video: ' +
        'Prompt refused by the safety filter (key [key], weights.bin)',
    );
    expect(server.requestsTo('cancel')).toHaveLength(0);
    expect(await filesLeft()).toEqual([]);
  });

  it('retries a submission answered 500, with the same Idempotency-Key', async () => {
    const server = await startService({
      transientErrors: { route: 'submit', status: 500, count: 2 },
    });

    expect(await generate(providerFor(server))).toBe(undefined);

    const submits = server.requestsTo('submit');
    expect(submits).toHaveLength(3);
    const keys = new Set(submits.map((submit) => submit.headers['idempotency-key']));
    expect(keys.size).toBe(1);
    expect([...keys][0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(await filesLeft()).toEqual(['output.mp4']);
  });

  it('waits as long as Retry-After says before polling again after a 429', async () => {
    const server = await startService({
      transientErrors: { route: 'poll', status: 429, count: 1, retryAfterSec: 1 },
    });

    expect(await generate(providerFor(server))).toBe(undefined);

    const [limited, next] = server.requestsTo('poll');
    expect(next.at - limited.at).toBeGreaterThanOrEqual(990);
    expect(await filesLeft()).toEqual(['output.mp4']);
  });

  it('gives up after a few attempts when the service keeps answering 503', async () => {
    const server = await startService({
      transientErrors: { route: 'submit', status: 503, count: 100 },
    });

    const error = await generate(providerFor(server));

    expect(error).toBeInstanceOf(GenerationServiceError);
    expect(error?.message).toBe(
      'The generation service answered 503 to the request to start a generation: Try again later',
    );
    expect(server.requestsTo('submit')).toHaveLength(MAX_ATTEMPTS);
  });

  it('does not retry a refused key, nor repeat the key in the error', async () => {
    const server = await startService();

    const error = await generate(providerFor(server, { apiKey: 'sk-wrong-key' }));

    expect(error?.message).toBe(
      'The generation service answered 401 to the request to start a generation: Invalid API key',
    );
    expect(server.requestsTo('submit')).toHaveLength(1);
  });

  it('reports a service it cannot reach, after retrying', async () => {
    const closedPort = await freePort();
    const provider = new HttpGenerationProvider({
      baseUrl: `http://127.0.0.1:${closedPort}/v1`,
      pollIntervalMs: 5,
      requestTimeoutMs: 1000,
    });

    const error = await generate(provider);

    expect(error?.message).toBe(
      'The generation service could not be reached for the request to start a generation (ECONNREFUSED)',
    );
  });

  it('cancels mid-poll: rejects MediaCancelledError, cancels at the service, leaves no file', async () => {
    const server = await startService({ progress: [20], neverFinish: true });
    const abort = new AbortController();

    const error = await generate(providerFor(server), {
      signal: abort.signal,
      onProgress: (percent) => percent > 0 && abort.abort(),
    });

    expect(error).toBeInstanceOf(MediaCancelledError);
    const [polled] = server.requestsTo('poll');
    const cancels = server.requestsTo('cancel');
    expect(cancels.map((cancel) => cancel.path)).toEqual([`${polled.path}/cancel`]);
    expect(cancels[0].headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(server.requestsTo('download')).toHaveLength(0);
    expect(await filesLeft()).toEqual([]);
  });

  it('sends nothing when cancelled before it starts', async () => {
    const server = await startService();
    const error = await generate(providerFor(server), { signal: AbortSignal.abort() });
    expect(error).toBeInstanceOf(MediaCancelledError);
    expect(server.requests).toHaveLength(0);
  });

  it('cancels a download under way, leaving no partial file', async () => {
    const server = await startService({ downloadStops: { afterBytes: 2000, then: 'hang' } });
    const abort = new AbortController();

    const generating = generate(providerFor(server), { signal: abort.signal });
    await eventually(
      async () =>
        expect(await filesLeft()).toEqual([expect.stringMatching(/^\.output\.mp4\..+\.partial$/)]),
      {
        intervalMs: 10,
      },
    );
    abort.abort();

    expect(await generating).toBeInstanceOf(MediaCancelledError);
    expect(await filesLeft()).toEqual([]);
  });

  it('rejects MediaTimeoutError at the time limit and cancels at the service', async () => {
    const server = await startService({ neverFinish: true });
    const startedAt = Date.now();

    const error = await generate(providerFor(server), { timeoutMs: 300 });

    expect(error).toBeInstanceOf(MediaTimeoutError);
    expect(Date.now() - startedAt).toBeLessThan(2000);
    expect(server.requestsTo('cancel')).toHaveLength(1);
    expect(await filesLeft()).toEqual([]);
  });

  it('gives up on a status request that gets no answer within requestTimeoutMs', async () => {
    const server = await startService({ hang: 'poll' });

    const error = await generate(providerFor(server, { requestTimeoutMs: 250 }));

    expect(error).toBeInstanceOf(GenerationServiceError);
    expect(error?.message).toBe(
      'The generation service did not answer the status request within 250 ms',
    );
    expect(server.requestsTo('poll')).toHaveLength(MAX_ATTEMPTS);
    expect(server.requestsTo('cancel')).toHaveLength(1);
  });

  it('rejects a malformed status answer, without retrying, and cancels at the service', async () => {
    const server = await startService({
      malformed: { route: 'poll', body: '{"id": "abc", "status": "dancing"}' },
    });

    const error = await generate(providerFor(server));

    expect(error).toBeInstanceOf(GenerationServiceError);
    expect(error?.message).toBe('The generation service sent a malformed answer: unknown status');
    expect(server.requestsTo('poll')).toHaveLength(1);
    expect(server.requestsTo('cancel')).toHaveLength(1);
  });

  it('rejects a submission answer that is not JSON', async () => {
    const server = await startService({
      malformed: { route: 'submit', body: '<html>Bad gateway</html>' },
    });
    const error = await generate(providerFor(server));
    expect(error?.message).toBe('The generation service sent a malformed answer: not JSON');
  });

  it('leaves no partial file when the download is cut mid-way', async () => {
    const server = await startService({ downloadStops: { afterBytes: 2000, then: 'cut' } });

    const error = await generate(providerFor(server));

    expect(error).toBeInstanceOf(GenerationServiceError);
    expect(error?.message).toBe('The video download was cut off before the end');
    expect(await filesLeft()).toEqual([]);
  });

  it('gives up on a download that stalls', async () => {
    const server = await startService({ downloadStops: { afterBytes: 2000, then: 'hang' } });
    const error = await generate(providerFor(server, { requestTimeoutMs: 250 }));
    expect(error?.message).toBe('The video download stalled for more than 250 ms');
    expect(await filesLeft()).toEqual([]);
  });
});
