import { createServer, IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** What the receiver answered. */
  status: number;
}

/**
 * A webhook endpoint for tests: an HTTP server on 127.0.0.1 that records every request it gets
 * and answers 200, or 500 to the next requests after failNext(n).
 */
export class WebhookReceiver {
  readonly requests: ReceivedRequest[] = [];
  private failuresLeft = 0;
  private readonly server = createServer((request, response) => this.handle(request, response));
  private port = 0;

  static async start(): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver();
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
    receiver.port = (receiver.server.address() as AddressInfo).port;
    return receiver;
  }

  /** The URL to register: a path on this server. */
  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks/kiln`;
  }

  /** Answers 500 to the next `count` requests, then 200 again. */
  failNext(count: number): void {
    this.failuresLeft = count;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const status = this.failuresLeft > 0 ? 500 : 200;
      if (this.failuresLeft > 0) this.failuresLeft--;
      this.requests.push({
        method: request.method ?? '',
        path: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        status,
      });
      response.writeHead(status, { 'Content-Type': 'text/plain' }).end(String(status));
    });
  }
}
