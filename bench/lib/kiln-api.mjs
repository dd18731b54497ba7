import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import http from 'node:http';
import { basename } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pipeline } from 'node:stream/promises';

const REQUEST_TIMEOUT_MS = 30_000;

/** A fresh account per call, so scenarios never depend on each other's users. */
export function newAccount(label) {
  return {
    email: `bench-${label}-${randomBytes(6).toString('hex')}@example.com`,
    password: randomBytes(18).toString('base64url'),
    name: `Bench ${label}`,
  };
}

/** JSON request to Kiln (or a baseline serving the same API); throws unless the answer has the expected status. */
export async function callApi(baseUrl, method, path, { body, token, expect = 200 } = {}) {
  const { status, text } = await requestApi(baseUrl, method, path, { body, token });
  if (status !== expect) {
    throw new Error(
      `${method} ${path} answered ${status} (expected ${expect}): ${text.slice(0, 300)}`,
    );
  }
  return text ? JSON.parse(text) : null;
}

// Connections kept open between requests, as an app's client would. node:http rather than fetch:
// the bench shares the machine's CPUs with Kiln, and fetch takes several times more CPU per request.
const agent = new http.Agent({ keepAlive: true });

/**
 * The same request, but any answer resolves, as { status, text, json }: for loads that count
 * non-2xx answers instead of stopping at the first. Network errors and timeouts still reject.
 */
export function requestApi(baseUrl, method, path, { body, token } = {}) {
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  const headers = {};
  if (payload) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = payload.length;
  }
  if (token) headers.authorization = `Bearer ${token}`;
  return new Promise((resolve, reject) => {
    const request = http.request(`${baseUrl}/api/v1${path}`, {
      method,
      headers,
      agent,
      timeout: REQUEST_TIMEOUT_MS,
    });
    request.once('timeout', () =>
      request.destroy(new Error(`${method} ${path}: no answer in ${REQUEST_TIMEOUT_MS} ms`)),
    );
    request.once('error', reject);
    request.once('response', (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.once('error', reject);
      response.once('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json = null;
        try {
          json = text ? JSON.parse(text) : null;
        } catch {
          // Not JSON (an error page); the text is kept for the message.
        }
        resolve({ status: response.statusCode, text, json });
      });
    });
    request.end(payload);
  });
}

/** POST /auth/register; resolves with { user, accessToken, refreshToken, expiresIn }. */
export function register(kilnUrl, account) {
  return callApi(kilnUrl, 'POST', '/auth/register', { body: account, expect: 201 });
}

/**
 * POST /media with the file streamed from disk: a multipart/form-data body built around a read
 * stream (one `file` part), with its Content-Length, so neither side has to hold the file in
 * memory. Resolves with { status, json, text, elapsedMs, bytes }, elapsedMs from the request's
 * start to the end of the answer; rejects on network errors.
 */
export async function uploadFile(
  baseUrl,
  token,
  file,
  { contentType = 'application/octet-stream', timeoutMs = 600_000 } = {},
) {
  const { size } = await stat(file);
  const boundary = `----kiln-bench-${randomBytes(12).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\n` +
      `Content-Disposition: form-data; name="file"; filename="${basename(file)}"\r\n` +
      `Content-Type: ${contentType}\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const url = new URL(`${baseUrl}/api/v1/media`);
  const startedAt = performance.now();
  const request = http.request(url, {
    method: 'POST',
    // A connection of its own, closed after the answer.
    agent: false,
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': `multipart/form-data; boundary=${boundary}`,
      'content-length': head.length + size + tail.length,
    },
    timeout: timeoutMs,
  });
  request.once('timeout', () =>
    request.destroy(new Error(`POST /media: no answer in ${timeoutMs} ms`)),
  );
  const answered = new Promise((resolve, reject) => {
    request.once('response', (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.once('end', () =>
        resolve({ status: response.statusCode, text: Buffer.concat(chunks).toString('utf8') }),
      );
      response.once('error', reject);
    });
    request.once('error', reject);
  });
  async function* body() {
    yield head;
    yield* createReadStream(file, { highWaterMark: 256 * 1024 });
    yield tail;
  }
  // Kiln may answer (413, 415) before it has read everything: the answer decides, not the send.
  const sent = pipeline(body, request).catch((error) => error);
  const { status, text } = await answered;
  const elapsedMs = performance.now() - startedAt;
  // After an early refusal the rest of the body is not wanted: stop sending it.
  if (status < 200 || status >= 300) request.destroy();
  const sendError = await sent;
  if (sendError && status >= 200 && status < 300) throw sendError;
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON; the text is kept for the message.
  }
  return { status, text, json, elapsedMs, bytes: size };
}
