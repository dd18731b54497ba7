import { setTimeout as sleep } from 'node:timers/promises';
import { eventually } from '../../../../test/support/eventually';
import {
  ChatStreamScript,
  FakeChatServer,
  sseData,
} from '../../../../test/support/fake-chat-server';
import { FakeOpenAiBehaviour, FakeOpenAiServer } from '../../../../test/support/fake-openai-server';
import { freePort } from '../../../../test/support/free-port';
import { ChatDelta, ChatProviderError, ChatRequest, ChatResult } from './chat-provider';
import { OpenAiCompatibleChat, OpenAiCompatibleChatOptions } from './openai-compatible.chat';

const SERVICE_KEY = 'sk-service-0123456789';
const USER_KEY = 'sk-user-abcdef987654';
const REPLY = 'Stoneware fires at 1280 degrees [2], glazes mature there too [1].';

const request: ChatRequest = {
  messages: [
    { role: 'system', content: 'You are the studio assistant.' },
    { role: 'user', content: 'How hot does stoneware fire?' },
  ],
  passages: [
    {
      documentId: 'd-glaze',
      chunkId: 'c-glaze',
      text: 'Cone 10 glazes mature at 1280.',
      score: 0.5,
    },
    {
      documentId: 'd-kiln',
      chunkId: 'c-kiln',
      text: 'Stoneware fires at 1280 degrees.',
      score: 0.7,
    },
    {
      documentId: 'd-park',
      chunkId: 'c-park',
      text: 'Visitors park behind the studio.',
      score: 0.2,
    },
  ],
};

/** A streamed chunk as OpenAI sends it. */
const delta = (content: string) => sseData({ model: 'm', choices: [{ delta: { content } }] });

/** Consumes the stream: the deltas it yielded and then its result, or the error it threw. */
async function consume(stream: AsyncGenerator<ChatDelta, ChatResult, void>) {
  const deltas: string[] = [];
  try {
    for (;;) {
      const step = await stream.next();
      if (step.done) return { deltas, result: step.value };
      deltas.push(step.value.content);
    }
  } catch (error) {
    return { deltas, error: error as Error };
  }
}

describe('OpenAiCompatibleChat', () => {
  let servers: { close(): Promise<void> }[] = [];

  afterEach(async () => {
    await Promise.all(servers.map((server) => server.close()));
    servers = [];
  });

  async function openAi(behaviour: FakeOpenAiBehaviour = {}): Promise<FakeOpenAiServer> {
    const server = await FakeOpenAiServer.start({
      apiKey: SERVICE_KEY,
      reply: REPLY,
      ...behaviour,
    });
    servers.push(server);
    return server;
  }

  async function scripted(script: ChatStreamScript): Promise<FakeChatServer> {
    const server = await FakeChatServer.start(script);
    servers.push(server);
    return server;
  }

  function chatFor(
    server: { baseUrl: string },
    options: Partial<OpenAiCompatibleChatOptions> = {},
  ): OpenAiCompatibleChat {
    return new OpenAiCompatibleChat({
      baseUrl: server.baseUrl,
      apiKey: SERVICE_KEY,
      model: 'fake-model',
      requestTimeoutMs: 2000,
      maxRetries: 2,
      retryBaseDelayMs: 10,
      ...options,
    });
  }

  describe('answering', () => {
    it('yields the deltas in order as they stream and returns the full content', async () => {
      await openAi({ delayMs: 5 });

      const { deltas, result } = await consume(
        chatFor(servers[0] as FakeOpenAiServer).stream(request),
      );

      expect(deltas).toEqual(REPLY.match(/\s*\S+\s*/g));
      expect(result).toEqual({
        content: REPLY,
        model: 'fake-model',
        citations: [
          { documentId: 'd-glaze', chunkId: 'c-glaze', score: 0.5 },
          { documentId: 'd-kiln', chunkId: 'c-kiln', score: 0.7 },
        ],
      });
    });

    it('posts the model, stream: true and one system message with the numbered passages', async () => {
      const server = await openAi();

      await chatFor(server).complete({ ...request, model: 'asked-model' });

      const [sent] = server.requestsTo('chat');
      expect(sent.headers.accept).toBe('text/event-stream');
      const body = sent.json as { model: string; stream: boolean; messages: unknown[] };
      expect(body.model).toBe('asked-model');
      expect(body.stream).toBe(true);
      expect(body.messages).toEqual([
        {
          role: 'system',
          content: expect.stringMatching(
            /^You are the studio assistant\.\n\n.*\n\n\[1\] Cone 10 .*\n\n\[2\] Stoneware .*\n\n\[3\] Visitors/s,
          ),
        },
        { role: 'user', content: 'How hot does stoneware fire?' },
      ]);
    });

    it('cites nothing when the answer cites no passage', async () => {
      const server = await openAi({ reply: 'The documents do not say.' });

      const result = await chatFor(server).complete(request);

      expect(result.citations).toEqual([]);
    });

    it('sends the configured key as a bearer token', async () => {
      const server = await openAi();

      await chatFor(server).complete(request);

      expect(server.requestsTo('chat')[0].headers.authorization).toBe(`Bearer ${SERVICE_KEY}`);
    });

    it("sends the request's own key instead of the configured one", async () => {
      const server = await openAi({ apiKey: USER_KEY });

      const result = await chatFor(server).complete({ ...request, apiKey: USER_KEY });

      expect(result.content).toBe(REPLY);
      expect(server.requestsTo('chat')[0].headers.authorization).toBe(`Bearer ${USER_KEY}`);
    });

    it('keeps the stream alive through keep-alive comments and a slow consumer', async () => {
      const server = await scripted({
        writes: [
          ': ping\n\n',
          100,
          ': ping\n\n',
          100,
          ': ping\n\n',
          100,
          delta('Hi'),
          delta('!'),
          sseData('[DONE]'),
        ],
        then: 'end',
      });
      // Each wait is shorter than the limit, all of them together and the consumer's are longer.
      const stream = chatFor(server, { requestTimeoutMs: 250 }).stream(request);

      const first = await stream.next();
      await sleep(400);
      const rest = await consume(stream);

      expect(first.value).toEqual({ content: 'Hi' });
      expect(rest).toEqual({
        deltas: ['!'],
        result: { content: 'Hi!', model: 'm', citations: [] },
      });
    });
  });

  describe('failing before the answer starts', () => {
    it('retries a 429 and then streams the answer', async () => {
      const server = await openAi({ failures: { status: 429, count: 1, retryAfterSec: 0 } });

      const result = await chatFor(server).complete(request);

      expect(result.content).toBe(REPLY);
      expect(server.requestsTo('chat')).toHaveLength(2);
    });

    it('gives up on 5xx answers after maxRetries retries, saying what the service answered', async () => {
      const server = await openAi({ failures: { status: 503, count: 10 } });

      const { error } = await consume(chatFor(server, { maxRetries: 2 }).stream(request));

      expect(error).toEqual(
        new ChatProviderError('The chat service answered 503: The server is having a moment'),
      );
      expect(server.requestsTo('chat')).toHaveLength(3);
    });

    it('fails at once when the service asks for a longer pause than a person waits', async () => {
      const server = await openAi({ failures: { status: 429, count: 1, retryAfterSec: 60 } });

      const { error } = await consume(chatFor(server).stream(request));

      expect(error?.message).toMatch(/^The chat service answered 429/);
      expect(server.requestsTo('chat')).toHaveLength(1);
    });

    it('does not retry a refused key, and keeps the key out of the error', async () => {
      const server = await openAi();

      const { error } = await consume(chatFor(server).stream({ ...request, apiKey: USER_KEY }));

      expect(error).toBeInstanceOf(ChatProviderError);
      expect(error?.message).toBe(
        'The chat service answered 401: Incorrect API key provided: [key].',
      );
      expect(server.requestsTo('chat')).toHaveLength(1);
    });

    it('fails after requestTimeoutMs without an answer', async () => {
      const server = await openAi({ delayMs: 1000 });

      const { error } = await consume(chatFor(server, { requestTimeoutMs: 100 }).stream(request));

      expect(error).toEqual(new ChatProviderError('The chat service did not answer within 100 ms'));
    });

    it('says so when the service cannot be reached', async () => {
      const baseUrl = `http://127.0.0.1:${await freePort()}/v1`;

      const { error } = await consume(chatFor({ baseUrl }).stream(request));

      expect(error).toEqual(
        new ChatProviderError('The chat service could not be reached (ECONNREFUSED)'),
      );
    });
  });

  describe('failing during the answer', () => {
    it('throws after the first deltas when the connection breaks, without retrying', async () => {
      const server = await openAi({ cutStreamAfter: 3, delayMs: 20 });

      const { deltas, error } = await consume(chatFor(server).stream(request));

      // The bytes that arrive with the break may be lost with it; those before it were passed on.
      expect(deltas.slice(0, 2)).toEqual(['Stoneware ', 'fires ']);
      expect(deltas.length).toBeLessThanOrEqual(3);
      expect(error).toBeInstanceOf(ChatProviderError);
      expect(error?.message).toMatch(/^The connection to the chat service broke during the answer/);
      expect(server.requestsTo('chat')).toHaveLength(1);
    });

    it('throws the error that a chunk reports, without the key', async () => {
      const server = await scripted({
        writes: [
          delta('Stoneware '),
          sseData({ error: { message: `Overloaded for ${SERVICE_KEY}` } }),
        ],
        then: 'hang',
      });

      const { deltas, error } = await consume(chatFor(server).stream(request));

      expect(deltas).toEqual(['Stoneware ']);
      expect(error).toEqual(
        new ChatProviderError('The chat service failed during the answer: Overloaded for [key]'),
      );
    });

    it('throws on a malformed chunk', async () => {
      const server = await scripted({
        writes: [delta('Stoneware '), 'data: {"choi\n\n'],
        then: 'hang',
      });

      const { deltas, error } = await consume(chatFor(server).stream(request));

      expect(deltas).toEqual(['Stoneware ']);
      expect(error).toEqual(
        new ChatProviderError('The chat service sent a malformed stream chunk: not JSON'),
      );
    });

    it('throws when the stream ends without finishing the answer', async () => {
      const server = await scripted({ writes: [delta('Stoneware ')], then: 'end' });

      const { deltas, error } = await consume(chatFor(server).stream(request));

      expect(deltas).toEqual(['Stoneware ']);
      expect(error).toEqual(new ChatProviderError('The chat service ended the answer unfinished'));
    });

    it('throws when the stream stalls for requestTimeoutMs', async () => {
      const server = await scripted({ writes: [delta('Stoneware ')], then: 'hang' });

      const { deltas, error } = await consume(
        chatFor(server, { requestTimeoutMs: 100 }).stream(request),
      );

      expect(deltas).toEqual(['Stoneware ']);
      expect(error).toEqual(
        new ChatProviderError('The chat service sent nothing more for 100 ms during the answer'),
      );
    });
  });

  describe('stopping', () => {
    const endless: ChatStreamScript = {
      writes: [delta('Stoneware '), delta('fires ')],
      then: 'hang',
    };

    it("closes the upstream connection when the consumer's signal aborts", async () => {
      const server = await scripted(endless);
      const controller = new AbortController();
      const stream = chatFor(server).stream({ ...request, signal: controller.signal });
      await stream.next();

      const pending = stream.next().then(() => stream.next());
      controller.abort(new Error('the client went away'));

      await expect(pending).rejects.toThrow('the client went away');
      await eventually(async () => expect(server.closedByClient).toBe(1), { timeoutMs: 2000 });
    });

    it('closes the upstream connection when the consumer stops iterating', async () => {
      const server = await scripted(endless);

      for await (const piece of chatFor(server).stream(request)) {
        expect(piece).toEqual({ content: 'Stoneware ' });
        break;
      }

      await eventually(async () => expect(server.closedByClient).toBe(1), { timeoutMs: 2000 });
    });
  });
});
