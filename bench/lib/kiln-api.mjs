import { randomBytes } from 'node:crypto';

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
  const headers = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(`${baseUrl}/api/v1${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const text = await response.text();
  if (response.status !== expect) {
    throw new Error(
      `${method} ${path} answered ${response.status} (expected ${expect}): ${text.slice(0, 300)}`,
    );
  }
  return text ? JSON.parse(text) : null;
}

/** POST /auth/register; resolves with { user, accessToken, refreshToken, expiresIn }. */
export function register(kilnUrl, account) {
  return callApi(kilnUrl, 'POST', '/auth/register', { body: account, expect: 201 });
}
