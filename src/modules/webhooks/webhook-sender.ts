import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { performance } from 'node:perf_hooks';
import { ResolvedTarget } from './webhook-target';

/** What one attempt got: a status code, or the error that stopped it; and how long it took. */
export interface SendOutcome {
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

const MAX_ERROR_LENGTH = 500;

/**
 * Makes the socket connect to the address that was checked, whatever DNS says by now, so a name
 * cannot pass the check with a public address and then be re-resolved to a private one. The URL's
 * host still goes into the Host header and TLS (SNI and certificate checks).
 */
function pinnedLookup(address: string, family: number): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  };
}

function describeError(error: unknown, timeoutMs: number): string {
  const { name, code, message } = error as { name?: string; code?: string; message?: string };
  if (name === 'AbortError' || name === 'TimeoutError') return `timed out after ${timeoutMs} ms`;
  const text = [code, message].filter(Boolean).join(': ') || String(error);
  return text.slice(0, MAX_ERROR_LENGTH);
}

/**
 * POSTs the body once. Redirects are not followed (a 3xx is an answer like any other non-2xx),
 * and `timeoutMs` bounds the whole exchange. Never throws: every way an attempt can end is an
 * outcome to record.
 */
export function postWebhook(
  target: ResolvedTarget,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<SendOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const client = target.url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    const request = client.request(target.url, {
      method: 'POST',
      headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
      lookup: pinnedLookup(target.address, target.family),
      // A fresh connection each time: a pooled socket could still point at an address checked
      // for an earlier delivery.
      agent: false,
      signal: AbortSignal.timeout(timeoutMs),
    });
    request.once('response', (response) => {
      // The receiver's body means nothing to Kiln; drain it so the exchange ends cleanly.
      response.resume();
      resolve({ statusCode: response.statusCode ?? null, error: null, durationMs: elapsed() });
    });
    request.once('error', (error) => {
      resolve({ statusCode: null, error: describeError(error, timeoutMs), durationMs: elapsed() });
    });
    request.end(body);
  });
}
