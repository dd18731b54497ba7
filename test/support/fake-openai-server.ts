import { createHash } from 'node:crypto';
import { createServer, IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export type OpenAiRoute = 'embeddings' | 'chat' | 'unknown';

export interface RecordedOpenAiRequest {
  route: OpenAiRoute;
  method: string;
  /** The path with its query, if any. */
  path: string;
  headers: IncomingHttpHeaders;
  /** The body as sent, and parsed (undefined when it is not JSON). */
  body: string;
  json: unknown;
  /** Date.now() when the request had been read. */
  at: number;
}

export interface ChatMessage {
  role: string;
  content: string;
}

export interface FakeOpenAiBehaviour {
  /** The length of every embedding answered; 8 unless set. */
  dimension?: number;
  /**
   * When set, requests without `Authorization: Bearer <apiKey>` get 401, with a message that
   * quotes the key they sent (as some services do), to prove that clients keep it out of errors.
   */
  apiKey?: string;
  /** The first `count` requests (to `route`, or to any) are answered `status`, with Retry-After if given. */
  failures?: { status: number; count: number; retryAfterSec?: number; route?: OpenAiRoute };
  /** Embeddings are listed last index first: clients must order them by `index`. */
  reverseOrder?: boolean;
  /** The assistant's reply; "Echo: <the last message's content>" unless set. */
  reply?: string | ((messages: ChatMessage[]) => string);
  /**
   * A streamed reply stops, its connection destroyed, after this many content chunks (after
   * all of them, before the finishing chunk, when the reply has fewer).
   */
  cutStreamAfter?: number;
  /** Slow mode: this long before each answer, and between the chunks of a streamed one. */
  delayMs?: number;
}

const BASE_PATH = '/v1';

/**
 * An OpenAI-compatible API for tests: an HTTP server on 127.0.0.1 that answers
 *   POST /v1/embeddings        {model, input: string | string[]}
 *                              → {object: "list", data: [{object, index, embedding}], model, usage}
 *   POST /v1/chat/completions  {model, messages, stream?}
 *                              → a chat.completion, or with stream: true server-sent events
 *                                `data: {choices: [{delta: {content}}]}` ... `data: [DONE]`
 * with vectors from fakeEmbedding() and replies that echo the last message unless told
 * otherwise; misbehaves as told, and records every request.
 *
 *   const openai = await FakeOpenAiServer.start({ dimension: 16 });
 *   new OpenAiCompatibleEmbeddings({ baseUrl: openai.baseUrl, ... });
 *   openai.configure({ failures: { status: 429, count: 1, retryAfterSec: 1 } });
 *   await openai.close();
 */
export class FakeOpenAiServer {
  readonly requests: RecordedOpenAiRequest[] = [];
  private failuresServed = 0;
  private completions = 0;
  private readonly server = createServer((request, response) => this.receive(request, response));
  private port = 0;

  private constructor(private behaviour: FakeOpenAiBehaviour) {}

  static async start(behaviour: FakeOpenAiBehaviour = {}): Promise<FakeOpenAiServer> {
    const fake = new FakeOpenAiServer(behaviour);
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    fake.port = (fake.server.address() as AddressInfo).port;
    return fake;
  }

  /** The API's root, ending in /v1, as OpenAI clients take it. */
  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}${BASE_PATH}`;
  }

  requestsTo(route: OpenAiRoute): RecordedOpenAiRequest[] {
    return this.requests.filter((request) => request.route === route);
  }

  /** Replaces the behaviour, counting failures afresh, and forgets the requests so far. */
  configure(behaviour: FakeOpenAiBehaviour): void {
    this.behaviour = behaviour;
    this.failuresServed = 0;
    this.requests.length = 0;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private receive(request: IncomingMessage, response: ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url ?? '';
      const method = request.method ?? '';
      const body = Buffer.concat(chunks).toString('utf8');
      const recorded: RecordedOpenAiRequest = {
        route: routeOf(method, path),
        method,
        path,
        headers: request.headers,
        body,
        json: parseJson(body),
        at: Date.now(),
      };
      this.requests.push(recorded);
      this.answer(recorded, response).catch(() => response.destroy());
    });
  }

  private async answer(request: RecordedOpenAiRequest, response: ServerResponse): Promise<void> {
    const { apiKey, failures, delayMs = 0 } = this.behaviour;
    if (delayMs > 0) await sleep(delayMs);
    if (request.route === 'unknown') return error(response, 404, 'Unknown route');
    const sentKey = request.headers.authorization?.replace(/^Bearer /, '') ?? '';
    if (apiKey && sentKey !== apiKey) {
      return error(response, 401, `Incorrect API key provided: ${sentKey}.`);
    }
    const failing = failures && (failures.route ?? request.route) === request.route;
    if (failing && this.failuresServed < failures.count) {
      this.failuresServed++;
      const { status, retryAfterSec } = failures;
      const headers: Record<string, string> =
        retryAfterSec === undefined ? {} : { 'Retry-After': String(retryAfterSec) };
      return error(response, status, 'The server is having a moment', headers);
    }
    const body = request.json as Record<string, unknown> | undefined;
    if (request.route === 'embeddings') return this.answerEmbeddings(body, response);
    return this.answerChat(body, response);
  }

  private answerEmbeddings(body: Record<string, unknown> | undefined, response: ServerResponse) {
    const input = typeof body?.input === 'string' ? [body.input] : body?.input;
    if (typeof body?.model !== 'string' || !isStringArray(input)) {
      return error(response, 400, 'Expected {model: string, input: string | string[]}');
    }
    const dimension = this.behaviour.dimension ?? 8;
    const data = input.map((text, index) => ({
      object: 'embedding',
      index,
      embedding: fakeEmbedding(text, dimension),
    }));
    if (this.behaviour.reverseOrder) data.reverse();
    const tokens = input.reduce((sum, text) => sum + wordCount(text), 0);
    json(response, 200, {
      object: 'list',
      data,
      model: body.model,
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    });
  }

  private async answerChat(body: Record<string, unknown> | undefined, response: ServerResponse) {
    const messages = body?.messages;
    if (typeof body?.model !== 'string' || !isMessageArray(messages) || messages.length === 0) {
      return error(response, 400, 'Expected {model: string, messages: [{role, content}, ...]}');
    }
    const { reply } = this.behaviour;
    const content =
      typeof reply === 'function'
        ? reply(messages)
        : (reply ?? `Echo: ${messages[messages.length - 1].content}`);
    const id = `chatcmpl-fake-${++this.completions}`;
    const created = Math.floor(Date.now() / 1000);
    const head = { id, created, model: body.model };
    const promptTokens = messages.reduce((sum, message) => sum + wordCount(message.content), 0);
    const usage = {
      prompt_tokens: promptTokens,
      completion_tokens: wordCount(content),
      total_tokens: promptTokens + wordCount(content),
    };
    if (body.stream !== true) {
      return json(response, 200, {
        ...head,
        object: 'chat.completion',
        choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
        usage,
      });
    }
    const streamOptions = body.stream_options as { include_usage?: boolean } | undefined;
    await this.streamChat(response, head, content, streamOptions?.include_usage ? usage : null);
  }

  private async streamChat(
    response: ServerResponse,
    head: object,
    content: string,
    usage: object | null,
  ): Promise<void> {
    const { cutStreamAfter, delayMs = 0 } = this.behaviour;
    response.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
    const chunk = (delta: object, finishReason: string | null) => ({
      ...head,
      object: 'chat.completion.chunk',
      choices: [{ index: 0, delta, finish_reason: finishReason }],
    });
    const send = (data: object | string) =>
      response.write(`data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);

    send(chunk({ role: 'assistant', content: '' }, null));
    // Word by word, each with the spaces after it, so the pieces join back into the reply.
    const pieces = content.match(/\s*\S+\s*/g) ?? [content];
    for (const [sent, piece] of pieces.entries()) {
      if (sent === cutStreamAfter || response.destroyed) {
        response.destroy();
        return;
      }
      if (delayMs > 0) await sleep(delayMs);
      send(chunk({ content: piece }, null));
    }
    if (cutStreamAfter !== undefined) {
      response.destroy();
      return;
    }
    send(chunk({}, 'stop'));
    if (usage) send({ ...head, object: 'chat.completion.chunk', choices: [], usage });
    send('[DONE]');
    response.end();
  }
}

/**
 * The vector the fake answers for `text`: a unit vector drawn from SHA-256 of the text, so the
 * same text always gets the same vector and different texts practically never do.
 */
export function fakeEmbedding(text: string, dimension: number): number[] {
  const values: number[] = [];
  for (let block = 0; values.length < dimension; block++) {
    const digest = createHash('sha256').update(`${block}:${text}`).digest();
    for (const byte of digest) {
      if (values.length < dimension) values.push(byte / 127.5 - 1);
    }
  }
  const norm = Math.hypot(...values) || 1;
  return values.map((value) => value / norm);
}

function routeOf(method: string, pathAndQuery: string): OpenAiRoute {
  const path = pathAndQuery.split('?')[0];
  if (method !== 'POST') return 'unknown';
  if (path === `${BASE_PATH}/embeddings`) return 'embeddings';
  if (path === `${BASE_PATH}/chat/completions`) return 'chat';
  return 'unknown';
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

function isMessageArray(value: unknown): value is ChatMessage[] {
  return (
    Array.isArray(value) &&
    value.every((item) => typeof item?.role === 'string' && typeof item?.content === 'string')
  );
}

function wordCount(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

function json(
  response: ServerResponse,
  status: number,
  body: object,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

/** OpenAI's error shape. */
function error(
  response: ServerResponse,
  status: number,
  message: string,
  headers: Record<string, string> = {},
): void {
  const type = status === 401 ? 'invalid_request_error' : 'server_error';
  json(response, status, { error: { message, type, code: null } }, headers);
}
