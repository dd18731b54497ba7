import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { postWebhook } from './webhook-sender';

interface Seen {
  url: string;
  host: string | undefined;
  headers: IncomingMessage['headers'];
  body: string;
}

describe('postWebhook', () => {
  let server: Server;
  let port: number;
  const seen: Seen[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        seen.push({
          url: request.url!,
          host: request.headers.host,
          headers: request.headers,
          body,
        });
        if (request.url === '/hang') return; // never answers
        if (request.url === '/redirect') {
          response.writeHead(307, { Location: '/elsewhere' }).end();
          return;
        }
        response.writeHead(request.url === '/fail' ? 503 : 204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => (seen.length = 0));

  /** A URL naming a host that does not exist, pinned to the local server's address. */
  const pinned = (path: string) => ({
    url: new URL(`http://hooks.kiln-test.invalid:${port}${path}`),
    address: '127.0.0.1',
    family: 4,
  });

  it('connects to the pinned address, keeping the URL host in the Host header', async () => {
    const outcome = await postWebhook(pinned('/ok'), { 'X-Test': '1' }, '{"a":"é"}', 2000);
    expect(outcome).toMatchObject({ statusCode: 204, error: null });
    expect(outcome.durationMs).toBeGreaterThanOrEqual(0);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ url: '/ok', host: `hooks.kiln-test.invalid:${port}` });
    expect(seen[0].body).toBe('{"a":"é"}');
    expect(seen[0].headers).toMatchObject({ 'x-test': '1', 'content-length': '10' });
  });

  it('reports a non-2xx answer with its status code', async () => {
    expect(await postWebhook(pinned('/fail'), {}, '{}', 2000)).toMatchObject({
      statusCode: 503,
      error: null,
    });
  });

  it('does not follow redirects', async () => {
    const outcome = await postWebhook(pinned('/redirect'), {}, '{}', 2000);
    expect(outcome.statusCode).toBe(307);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(seen.map((s) => s.url)).toEqual(['/redirect']);
  });

  it('gives up after the timeout', async () => {
    const outcome = await postWebhook(pinned('/hang'), {}, '{}', 200);
    expect(outcome).toMatchObject({ statusCode: null, error: 'timed out after 200 ms' });
    expect(outcome.durationMs).toBeGreaterThanOrEqual(190);
  });

  it('reports a connection error', async () => {
    const closed = { url: new URL('http://127.0.0.1:1/'), address: '127.0.0.1', family: 4 };
    const outcome = await postWebhook(closed, {}, '{}', 2000);
    expect(outcome.statusCode).toBeNull();
    expect(outcome.error).toContain('ECONNREFUSED');
  });
});
