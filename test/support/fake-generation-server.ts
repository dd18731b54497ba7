import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer, IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

export type GenerationRoute = 'submit' | 'poll' | 'cancel' | 'download' | 'unknown';

export interface RecordedGenerationRequest {
  route: GenerationRoute;
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** Date.now() when the request had been read. */
  at: number;
}

export interface FakeGenerationBehaviour {
  /** The file served as every video. */
  videoPath: string;
  /** When set, requests without `Authorization: Bearer <apiKey>` get 401 `{error}`. */
  apiKey?: string;
  /** The progress of the 'running' answers to successive polls, before the final answer. */
  progress?: number[];
  /** The generation ends 'failed' with this error instead of 'succeeded'. */
  failWith?: string;
  /** The generation stays 'running' for ever. */
  neverFinish?: boolean;
  /** The first `count` requests to `route` are answered `status`, with Retry-After if given. */
  transientErrors?: {
    route: 'submit' | 'poll';
    status: number;
    count: number;
    retryAfterSec?: number;
  };
  /** Requests to this route are never answered. */
  hang?: 'submit' | 'poll' | 'download';
  /** Requests to this route are answered 200 with this body instead of the protocol's. */
  malformed?: { route: 'submit' | 'poll'; body: string };
  /** The download stops after `bytes`: the connection destroyed ('cut') or left open ('hang'). */
  downloadStops?: { afterBytes: number; then: 'cut' | 'hang' };
  /** The videoUrl given out; by default one relative to the base URL. */
  videoUrl?: (id: string) => string;
}

const BASE_PATH = '/v1';

/**
 * An external generation service for tests: an HTTP server on 127.0.0.1 that speaks the
 * protocol of HttpGenerationProvider (under /v1), misbehaves as told, and records every request.
 */
export class FakeGenerationServer {
  readonly requests: RecordedGenerationRequest[] = [];
  private readonly polls = new Map<string, number>();
  private readonly errorsServed = { submit: 0, poll: 0 };
  private readonly server = createServer((request, response) => this.receive(request, response));
  private port = 0;

  private constructor(private readonly behaviour: FakeGenerationBehaviour) {}

  static async start(behaviour: FakeGenerationBehaviour): Promise<FakeGenerationServer> {
    const fake = new FakeGenerationServer(behaviour);
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    fake.port = (fake.server.address() as AddressInfo).port;
    return fake;
  }

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get baseUrl(): string {
    return `${this.origin}${BASE_PATH}`;
  }

  requestsTo(route: GenerationRoute): RecordedGenerationRequest[] {
    return this.requests.filter((request) => request.route === route);
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
      const route = routeOf(method, path);
      this.requests.push({
        route,
        method,
        path,
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: Date.now(),
      });
      this.answer(route, path, request, response).catch(() => response.destroy());
    });
  }

  private async answer(
    route: GenerationRoute,
    path: string,
    request: IncomingMessage,
    response: ServerResponse,
  ): Promise<void> {
    const { apiKey, hang, malformed, transientErrors } = this.behaviour;
    if (route === 'unknown') return json(response, 404, { error: 'No such route' });
    if (hang === route) return;
    if (apiKey && request.headers.authorization !== `Bearer ${apiKey}`) {
      return json(response, 401, { error: 'Invalid API key' });
    }
    if (transientErrors?.route === route && this.errorsServed[route] < transientErrors.count) {
      this.errorsServed[route]++;
      const { status, retryAfterSec } = transientErrors;
      const headers: Record<string, string> =
        retryAfterSec === undefined ? {} : { 'Retry-After': String(retryAfterSec) };
      return json(response, status, { error: 'Try again later' }, headers);
    }
    if (malformed?.route === route) {
      response.writeHead(200, { 'Content-Type': 'application/json' }).end(malformed.body);
      return;
    }
    if (route === 'download') return this.serveVideo(response);
    const id = decodeURIComponent(path.split('/')[3] ?? '');
    if (route === 'submit') {
      const newId = randomUUID();
      this.polls.set(newId, 0);
      return json(response, 202, { id: newId, status: 'queued' });
    }
    if (!this.polls.has(id)) return json(response, 404, { error: 'No such generation' });
    if (route === 'cancel') return json(response, 202, { id, status: 'failed' });
    return json(response, 200, this.pollAnswer(id));
  }

  private pollAnswer(id: string): object {
    const { progress = [], neverFinish, failWith, videoUrl } = this.behaviour;
    const count = (this.polls.get(id) ?? 0) + 1;
    this.polls.set(id, count);
    if (neverFinish || count <= progress.length) {
      return { id, status: 'running', progress: progress[count - 1] ?? null };
    }
    if (failWith !== undefined) return { id, status: 'failed', error: failWith };
    return {
      id,
      status: 'succeeded',
      progress: 100,
      videoUrl: videoUrl ? videoUrl(id) : `videos/${id}.mp4`,
    };
  }

  private async serveVideo(response: ServerResponse): Promise<void> {
    const { videoPath, downloadStops } = this.behaviour;
    const { size } = await stat(videoPath);
    response.writeHead(200, { 'Content-Type': 'video/mp4', 'Content-Length': size });
    if (!downloadStops) {
      createReadStream(videoPath).pipe(response);
      return;
    }
    const head = (await readFile(videoPath)).subarray(0, downloadStops.afterBytes);
    response.write(head, () => downloadStops.then === 'cut' && response.destroy());
  }
}

function routeOf(method: string, path: string): GenerationRoute {
  const parts = path.slice(BASE_PATH.length + 1).split('/');
  if (!path.startsWith(`${BASE_PATH}/`)) return 'unknown';
  if (parts[0] === 'videos' && method === 'GET') return 'download';
  if (parts[0] !== 'generations') return 'unknown';
  if (parts.length === 1 && method === 'POST') return 'submit';
  if (parts.length === 2 && method === 'GET') return 'poll';
  if (parts.length === 3 && parts[2] === 'cancel' && method === 'POST') return 'cancel';
  return 'unknown';
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
