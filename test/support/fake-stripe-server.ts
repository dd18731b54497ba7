import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

export interface RecordedStripeRequest {
  method: string;
  path: string;
  /** The form-encoded body Stripe's client sends, decoded. */
  form: URLSearchParams;
}

export interface FakeStripeServer {
  /** For STRIPE_API_URL. */
  url: string;
  requests: RecordedStripeRequest[];
  /** The next `count` requests are answered 500, as Stripe does when it is in trouble. */
  failNext(count: number): void;
  close(): Promise<void>;
}

/**
 * A stand-in for the two Stripe API calls Kiln makes: creating a Checkout session and
 * cancelling a subscription. Nothing in the tests talks to Stripe's servers.
 */
export async function startFakeStripeServer(): Promise<FakeStripeServer> {
  const requests: RecordedStripeRequest[] = [];
  let sessions = 0;
  let failures = 0;
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url ?? '';
      requests.push({
        method: request.method ?? '',
        path,
        form: new URLSearchParams(Buffer.concat(chunks).toString('utf8')),
      });
      const answer = (status: number, body: object) => {
        response.writeHead(status, {
          'content-type': 'application/json',
          'request-id': 'req_fake',
        });
        response.end(JSON.stringify(body));
      };
      if (failures > 0) {
        failures--;
        return answer(500, { error: { type: 'api_error', message: 'Something went wrong' } });
      }
      if (request.method === 'POST' && path === '/v1/checkout/sessions') {
        const id = `cs_test_${++sessions}`;
        return answer(200, {
          id,
          object: 'checkout.session',
          mode: 'subscription',
          url: `https://checkout.stripe.test/pay/${id}`,
        });
      }
      const cancel = /^\/v1\/subscriptions\/([^/]+)$/.exec(path);
      if (request.method === 'DELETE' && cancel) {
        return answer(200, { id: cancel[1], object: 'subscription', status: 'canceled' });
      }
      answer(404, { error: { type: 'invalid_request_error', message: `No route ${path}` } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    failNext: (count) => {
      failures = count;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
