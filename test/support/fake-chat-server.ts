import { createServer, IncomingHttpHeaders, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ChatStreamScript {
  /** The body of a 200 text/event-stream answer, written in order; a number is a pause in ms. */
  writes: Array<string | number>;
  /** After the writes: end the answer, destroy the connection, or keep it open until closed. */
  then: 'end' | 'cut' | 'hang';
}

/**
 * A chat completions endpoint (POST /v1/chat/completions) whose streamed answer a test writes
 * byte for byte, for what FakeOpenAiServer does not do: error and malformed chunks, a stream
 * that stalls or ends unfinished, and telling when the client closed the connection early.
 */
export class FakeChatServer {
  readonly requests: { headers: IncomingHttpHeaders; body: string }[] = [];
  /** Answers whose connection the client closed before the server had ended them. */
  closedByClient = 0;
  private closing = false;
  private readonly server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      this.requests.push({ headers: request.headers, body: Buffer.concat(chunks).toString() });
      this.answer(response).catch(() => response.destroy());
    });
  });
  private port = 0;

  private constructor(private readonly script: ChatStreamScript) {}

  static async start(script: ChatStreamScript): Promise<FakeChatServer> {
    const fake = new FakeChatServer(script);
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    fake.port = (fake.server.address() as AddressInfo).port;
    return fake;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}/v1`;
  }

  async close(): Promise<void> {
    this.closing = true;
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private async answer(response: ServerResponse): Promise<void> {
    let cut = false;
    // 'close' before the end is the client going away, unless this server closed it.
    response.on('close', () => {
      if (!response.writableEnded && !cut && !this.closing) this.closedByClient++;
    });
    response.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
    for (const write of this.script.writes) {
      if (response.destroyed) return;
      if (typeof write === 'number') await sleep(write);
      else response.write(write);
    }
    if (this.script.then === 'end') response.end();
    if (this.script.then === 'cut') {
      cut = true;
      response.destroy();
    }
  }
}

/** One server-sent event carrying `value` (JSON unless a string) as its data. */
export function sseData(value: object | string): string {
  return `data: ${typeof value === 'string' ? value : JSON.stringify(value)}\n\n`;
}
