import { createHmac } from 'node:crypto';
import type { Response } from 'supertest';
import { TestApp } from '../support/test-app';
import { Fixtures } from './fixtures';
import {
  abbreviate,
  Credentials,
  fillFixtures,
  FixtureKind,
  FuzzRequest,
  percentEncode,
  toJsonText,
} from './fuzz-request';
import { Operation } from './openapi-operations';
import { RowCounter, RowCounts } from './row-counter';

export type Caller = 'anonymous' | 'owner' | 'other' | 'admin';

/** Every request is sent as each of them, in this order. */
const CALLERS: readonly Caller[] = ['anonymous', 'owner', 'other'];

/**
 * Routes for operators and admins, which answer the plain callers 401/403 before looking at the
 * input: an admin is sent the same request too, so that their validation is fuzzed.
 */
const STAFF_ROUTE = /^\/api\/v1\/(users|admin)(\/|$)|^\/api\/v1\/billing\/(plans|users)\/\{id\}/;

export function callersOf(operation: Pick<Operation, 'path'>): readonly Caller[] {
  return STAFF_ROUTE.test(operation.path) ? [...CALLERS, 'admin'] : CALLERS;
}

/** No answer within this time is a failure too (a stream that never ends, a hung handler). */
export const ANSWER_TIMEOUT_MS = 20_000;

const PROBLEM_FIELDS = ['type', 'title', 'detail', 'instance'] as const;

export interface FuzzStats {
  requests: number;
  /** By status class: 2xx, 4xx, 5xx, and `other` (1xx, 3xx, no answer). */
  byClass: Record<string, number>;
  serverErrors: number;
  problemShapeFailures: number;
  undocumentedSuccesses: number;
  leakedRows: number;
  byOperation: Map<string, Record<number, number>>;
}

export function emptyStats(): FuzzStats {
  return {
    requests: 0,
    byClass: { '2xx': 0, '4xx': 0, '5xx': 0, other: 0 },
    serverErrors: 0,
    problemShapeFailures: 0,
    undocumentedSuccesses: 0,
    leakedRows: 0,
    byOperation: new Map(),
  };
}

/** The request as text, with its fixture markers, and the fixtures it names. */
interface Prepared {
  bodyText?: Buffer;
  kinds: Set<FixtureKind>;
}

/** A JWT signed with the application's own secret, whatever its claims. */
function signedJwt(claims: Record<string, unknown>, secret: string): string {
  const part = (text: string) => Buffer.from(text).toString('base64url');
  const unsigned = `${part('{"alg":"HS256","typ":"JWT"}')}.${part(toJsonText(claims))}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

/**
 * Sends fuzzed requests and judges the answers: never a 5xx; every error a problem+json with all
 * its members; a success only with a status the document lists; and a rejected request leaves
 * the row count of every table as it was.
 */
export class FuzzRunner {
  private baseline?: RowCounts;

  constructor(
    private readonly t: TestApp,
    private readonly fixtures: Fixtures,
    private readonly rows: RowCounter,
    readonly stats: FuzzStats,
  ) {}

  /** Sends the request as every caller; returns what was wrong, empty when nothing was. */
  async run(operation: Operation, request: FuzzRequest): Promise<string[]> {
    const prepared = this.prepare(request);
    const failures: string[] = [];
    for (const caller of callersOf(operation)) {
      const ids = await this.fixtures.ids(prepared.kinds);
      if (this.fixtures.changed || !this.baseline) {
        this.fixtures.changed = false;
        this.baseline = await this.rows.settled();
      }
      const fill = (text: string) => fillFixtures(text, (kind) => ids.get(kind)!, new Set());
      let response: Response;
      try {
        response = await this.send(operation, request, prepared, caller, fill);
      } catch (error) {
        this.count(operation, 0);
        failures.push(`${caller}: no answer: ${(error as Error).message}`);
        this.baseline = undefined;
        continue;
      }
      this.count(operation, response.status);
      failures.push(...this.judge(operation, response).map((f) => `${caller}: ${f}`));
      const succeeded = response.status >= 200 && response.status < 300;
      if (succeeded && operation.method === 'get') {
        this.baseline = await this.rows.count();
      } else if (succeeded) {
        this.fixtures.forget(prepared.kinds);
        await this.fixtures.keepCallersUsable();
        this.baseline = await this.rows.settled();
      } else {
        const after = await this.rows.count();
        const changes = RowCounter.changes(this.baseline, after);
        if (changes.length > 0) {
          this.stats.leakedRows += 1;
          failures.push(
            `${caller}: answered ${response.status} but rows changed (${changes.join(', ')})`,
          );
        }
        this.baseline = after;
      }
    }
    return failures;
  }

  private prepare(request: FuzzRequest): Prepared {
    const { body } = request;
    const bodyText =
      body.kind === 'json'
        ? Buffer.from(toJsonText(body.value), 'utf8')
        : body.kind === 'raw'
          ? body.bytes
          : undefined;
    const kinds = new Set<FixtureKind>();
    const texts = [
      ...Object.values(request.path).map((p) => p.value),
      ...request.query.flat(),
      ...Object.values(request.headers),
      bodyText?.toString('latin1') ?? '',
    ];
    for (const text of texts) fillFixtures(text, () => '', kinds);
    return { bodyText, kinds };
  }

  private async send(
    operation: Operation,
    request: FuzzRequest,
    prepared: Prepared,
    caller: Caller,
    fill: (text: string) => string,
  ): Promise<Response> {
    const path = operation.path.replace(/\{(\w+)\}/g, (_, name: string) => {
      const { value, raw } = request.path[name];
      return raw ? fill(value) : percentEncode(fill(value));
    });
    const query = request.query
      .map(([k, v]) => `${percentEncode(fill(k))}=${percentEncode(fill(v))}`)
      .join('&');
    let call = this.t.http[operation.method](query ? `${path}?${query}` : path).timeout(
      ANSWER_TIMEOUT_MS,
    );
    for (const [name, value] of Object.entries(request.headers)) call = call.set(name, fill(value));
    for (const [name, value] of Object.entries(this.credentials(caller, request.anonymous))) {
      call = call.set(name, value);
    }
    const { body } = request;
    if (body.kind === 'none' || !prepared.bodyText) return call;
    if (body.contentType !== undefined) call = call.set('Content-Type', body.contentType);
    // The bytes as they are: superagent would otherwise send a Buffer with a JSON content type
    // as the JSON of the Buffer object ({"type":"Buffer","data":[…]}).
    const bytes = Buffer.from(fill(prepared.bodyText.toString('latin1')), 'latin1');
    return call.serialize(() => bytes as unknown as string).send(bytes);
  }

  private credentials(caller: Caller, anonymous: Credentials): Record<string, string> {
    if (caller === 'owner') return this.fixtures.owner.auth;
    if (caller === 'other') return this.fixtures.other.auth;
    if (caller === 'admin') return this.fixtures.admin.auth;
    if (anonymous.kind === 'headers') return anonymous.headers;
    if (anonymous.kind === 'signed-jwt') {
      return {
        Authorization: `Bearer ${signedJwt(anonymous.claims, this.t.config.auth.jwtSecret)}`,
      };
    }
    return {};
  }

  /** What is wrong with an answer, by the rules of the API contract. */
  private judge(operation: Operation, response: Response): string[] {
    const { status } = response;
    const said = `${status} ${abbreviate(response.text ?? '', 300)}`;
    if (status >= 500) {
      this.stats.serverErrors += 1;
      return [`server error: ${said}`];
    }
    if (status >= 200 && status < 300) {
      if (operation.successStatuses.includes(status)) return [];
      this.stats.undocumentedSuccesses += 1;
      return [`success ${status} the document does not list (${operation.successStatuses})`];
    }
    if (status < 400) return [`unexpected status: ${said}`];
    const shape = this.problemShape(response);
    if (shape.length === 0) return [];
    this.stats.problemShapeFailures += 1;
    return [`answer is not a complete problem+json (${shape.join('; ')}): ${said}`];
  }

  private problemShape(response: Response): string[] {
    const contentType = String(response.headers['content-type'] ?? '');
    if (!contentType.startsWith('application/problem+json')) {
      return [`Content-Type is ${contentType || 'missing'}`];
    }
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(response.text) as Record<string, unknown>;
    } catch {
      return ['the body is not JSON'];
    }
    const wrong: string[] = PROBLEM_FIELDS.filter((f) => typeof body[f] !== 'string').map(
      (f) => `${f} is not a string`,
    );
    if (body.status !== response.status) wrong.push(`status is ${String(body.status)}`);
    const requestId = response.headers['x-request-id'];
    if (!requestId || body.requestId !== requestId) {
      wrong.push(`requestId ${String(body.requestId)} is not X-Request-Id ${String(requestId)}`);
    }
    return wrong;
  }

  private count(operation: Operation, status: number): void {
    const statusClass =
      status >= 200 && status < 300
        ? '2xx'
        : status >= 400 && status < 500
          ? '4xx'
          : status >= 500
            ? '5xx'
            : 'other';
    this.stats.requests += 1;
    this.stats.byClass[statusClass] += 1;
    const byStatus = this.stats.byOperation.get(operation.key) ?? {};
    byStatus[status] = (byStatus[status] ?? 0) + 1;
    this.stats.byOperation.set(operation.key, byStatus);
  }
}
