import { createServer } from 'node:net';
import { fakeEmbedding, FakeOpenAiServer } from '../../../../test/support/fake-openai-server';
import {
  EmbeddingsServiceError,
  OpenAiCompatibleEmbeddings,
  OpenAiCompatibleEmbeddingsOptions,
} from './openai-compatible.provider';

const KEY = 'sk-test-0123456789abcdef';
const DIMENSION = 8;

describe('OpenAiCompatibleEmbeddings', () => {
  let openai: FakeOpenAiServer;

  beforeAll(async () => {
    openai = await FakeOpenAiServer.start();
  });

  afterAll(() => openai.close());

  beforeEach(() => openai.configure({ dimension: DIMENSION, apiKey: KEY }));

  afterEach(() => jest.restoreAllMocks());

  function provider(options: Partial<OpenAiCompatibleEmbeddingsOptions> = {}) {
    return new OpenAiCompatibleEmbeddings({
      baseUrl: openai.baseUrl,
      apiKey: KEY,
      model: 'text-embedding-3-small',
      dimension: DIMENSION,
      retryBaseDelayMs: 1,
      ...options,
    });
  }

  async function failure(promise: Promise<unknown>): Promise<EmbeddingsServiceError> {
    const error = await promise.then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(EmbeddingsServiceError);
    return error as EmbeddingsServiceError;
  }

  function respondWith(body: unknown) {
    jest.spyOn(globalThis, 'fetch').mockResolvedValue(new Response(JSON.stringify(body)));
  }

  it('posts the texts in batches and answers one vector per text, in order', async () => {
    const texts = ['one', 'two', 'three', 'four', 'five', 'six', 'seven'];
    const vectors = await provider({ batchSize: 3 }).embed(texts);
    expect(vectors).toEqual(texts.map((text) => fakeEmbedding(text, DIMENSION)));
    expect(openai.requestsTo('embeddings').map(({ json }) => json)).toEqual([
      { model: 'text-embedding-3-small', input: ['one', 'two', 'three'] },
      { model: 'text-embedding-3-small', input: ['four', 'five', 'six'] },
      { model: 'text-embedding-3-small', input: ['seven'] },
    ]);
  });

  it('places each vector by its index, whatever order the service lists them in', async () => {
    openai.configure({ dimension: DIMENSION, reverseOrder: true });
    const texts = ['alpha', 'beta', 'gamma'];
    expect(await provider().embed(texts)).toEqual(
      texts.map((text) => fakeEmbedding(text, DIMENSION)),
    );
  });

  it('sends no request for no texts', async () => {
    expect(await provider().embed([])).toEqual([]);
    expect(openai.requests).toHaveLength(0);
  });

  it('sends no Authorization header when it has no key', async () => {
    openai.configure({ dimension: DIMENSION });
    await provider({ apiKey: undefined }).embed(['x']);
    expect(openai.requests[0].headers.authorization).toBeUndefined();
  });

  it('authenticates with the configured key and with an overriding one', async () => {
    await provider().embed(['a']);
    expect(openai.requests[0].headers.authorization).toBe(`Bearer ${KEY}`);
    openai.configure({ dimension: DIMENSION, apiKey: 'sk-users-own' });
    await provider().embed(['b'], { apiKey: 'sk-users-own' });
    expect(openai.requests[0].headers.authorization).toBe('Bearer sk-users-own');
  });

  it('retries a 5xx answer with backoff until it succeeds', async () => {
    openai.configure({ dimension: DIMENSION, failures: { status: 500, count: 2 } });
    expect(await provider().embed(['x'])).toEqual([fakeEmbedding('x', DIMENSION)]);
    expect(openai.requests).toHaveLength(3);
  });

  it('waits the Retry-After of a 429 before trying again', async () => {
    openai.configure({
      dimension: DIMENSION,
      failures: { status: 429, count: 1, retryAfterSec: 1 },
    });
    await provider().embed(['x']);
    const [first, second] = openai.requests;
    expect(second.at - first.at).toBeGreaterThanOrEqual(950);
  });

  it('gives up after maxRetries, with the status in the error', async () => {
    openai.configure({ dimension: DIMENSION, failures: { status: 503, count: 10 } });
    const error = await failure(provider({ maxRetries: 2 }).embed(['x']));
    expect(error.status).toBe(503);
    expect(error.message).toContain('answered 503: The server is having a moment');
    expect(openai.requests).toHaveLength(3);
  });

  it('does not wait out a Retry-After of more than a minute', async () => {
    openai.configure({
      dimension: DIMENSION,
      failures: { status: 429, count: 1, retryAfterSec: 3600 },
    });
    expect((await failure(provider().embed(['x']))).status).toBe(429);
    expect(openai.requests).toHaveLength(1);
  });

  it('fails at once on an answer that retrying cannot change', async () => {
    openai.configure({ dimension: DIMENSION, failures: { status: 400, count: 1 } });
    const error = await failure(provider().embed(['x']));
    expect(error.status).toBe(400);
    expect(error.retryable).toBe(false);
    expect(openai.requests).toHaveLength(1);
  });

  it('keeps the key out of its errors, even when the service quotes it', async () => {
    const wrongKey = 'sk-wrong-key-that-must-stay-secret';
    const error = await failure(provider({ apiKey: wrongKey }).embed(['x']));
    expect(error.status).toBe(401);
    expect(openai.requests[0].body).not.toContain(wrongKey);
    expect(error.message).toContain('Incorrect API key provided: [redacted]');
    expect(error.message).not.toContain(wrongKey);
    expect(JSON.stringify(error)).not.toContain(wrongKey);
    expect(error.stack).not.toContain(wrongKey);
  });

  it('rejects vectors of another dimension than configured', async () => {
    const error = await failure(provider({ dimension: 16 }).embed(['x']));
    expect(error.message).toContain('dimension 8');
    expect(error.message).toContain('16 is configured');
  });

  it('times out a slow answer, retries it, then gives up', async () => {
    openai.configure({ dimension: DIMENSION, delayMs: 300 });
    const error = await failure(provider({ requestTimeoutMs: 50, maxRetries: 1 }).embed(['x']));
    expect(error.message).toContain('no answer within 50 ms');
    expect(openai.requests).toHaveLength(2);
  });

  it("stops at once when the caller's signal fires", async () => {
    openai.configure({ dimension: DIMENSION, delayMs: 2000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const startedAt = Date.now();
    await expect(provider().embed(['x'], { signal: controller.signal })).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(Date.now() - startedAt).toBeLessThan(1000);
    expect(openai.requests).toHaveLength(1);
  });

  it('retries a service it cannot reach, then says so', async () => {
    const port = await closedPort();
    const unreachable = provider({ baseUrl: `http://127.0.0.1:${port}/v1`, maxRetries: 1 });
    const error = await failure(unreachable.embed(['x']));
    expect(error.message).toContain('could not be reached: ECONNREFUSED');
    expect(error.retryable).toBe(true);
  });

  it('keeps the query of the base URL in its requests but out of its errors', async () => {
    await provider({ baseUrl: `${openai.baseUrl}/?api-version=2024-10-21` }).embed(['x']);
    expect(openai.requests[0].path).toBe('/v1/embeddings?api-version=2024-10-21');
    const port = await closedPort();
    const baseUrl = `http://127.0.0.1:${port}/v1?key=secret`;
    const error = await failure(provider({ baseUrl, maxRetries: 0 }).embed(['x']));
    expect(error.message).toContain(`http://127.0.0.1:${port}/v1/embeddings could not be reached`);
    expect(error.message).not.toContain('secret');
  });

  it.each([
    ['an answer that is not JSON', 'not json', 'other than JSON'],
    ['too few embeddings', { data: [] }, 'list 1 embeddings'],
    ['an index out of range', { data: [{ index: 3, embedding: [1] }] }, 'not an index'],
    ['an embedding that is not numbers', { data: [{ index: 0, embedding: ['a'] }] }, 'numbers'],
  ])('rejects %s', async (_case, body, message) => {
    jest
      .spyOn(globalThis, 'fetch')
      .mockResolvedValue(new Response(typeof body === 'string' ? body : JSON.stringify(body)));
    const error = await failure(provider({ dimension: 1 }).embed(['x']));
    expect(error.message).toContain(message);
    expect(error.retryable).toBe(false);
  });

  it.each([
    ['plain text', 'upstream connect error', 'answered 502: upstream connect error'],
    ['{error: string}', JSON.stringify({ error: 'model overloaded' }), '502: model overloaded'],
    ['{message}', JSON.stringify({ message: 'try later' }), 'answered 502: try later'],
    ['an empty body', '', 'answered 502'],
  ])('reports an error answer given as %s', async (_case, body, message) => {
    jest.spyOn(globalThis, 'fetch').mockResolvedValue(new Response(body, { status: 502 }));
    const error = await failure(provider({ maxRetries: 0 }).embed(['x']));
    expect(error.message).toContain(message);
    expect(error.message.endsWith(message)).toBe(true);
  });

  it('shortens a long error text, and scrubs the key out of it first', async () => {
    const text = `${'x'.repeat(290)}${KEY}${'y'.repeat(500)}`;
    jest.spyOn(globalThis, 'fetch').mockResolvedValue(new Response(text, { status: 400 }));
    const error = await failure(provider().embed(['x']));
    expect(error.message).toContain(`${'x'.repeat(290)}[redacted]`);
    expect(error.message).not.toContain(KEY.slice(0, 8));
    expect(error.message.length).toBeLessThan(420);
  });

  it('rejects an index listed twice', async () => {
    respondWith({ data: [0, 0].map((index) => ({ index, embedding: [1] })) });
    const error = await failure(provider({ dimension: 1 }).embed(['x', 'y']));
    expect(error.message).toContain('index 0 is listed twice');
  });

  it('places embeddings by position when the service gives no index', async () => {
    respondWith({ data: [{ embedding: [1] }, { embedding: [2] }] });
    expect(await provider({ dimension: 1 }).embed(['x', 'y'])).toEqual([[1], [2]]);
  });

  it('rejects settings it cannot work with', () => {
    expect(() => provider({ dimension: 0 })).toThrow(RangeError);
    expect(() => provider({ batchSize: 0 })).toThrow(RangeError);
    expect(() => provider({ maxRetries: -1 })).toThrow(RangeError);
    expect(() => provider({ baseUrl: 'http://user:pass@127.0.0.1/v1' })).toThrow('apiKey');
  });
});

/** A port on 127.0.0.1 that nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
