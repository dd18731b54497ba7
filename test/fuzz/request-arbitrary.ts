import fc from 'fast-check';
import { applyMutations, mutation } from './body-mutations';
import {
  Body,
  Credentials,
  FixtureKind,
  fixtureRef,
  FuzzRequest,
  PathValue,
  percentEncode,
  printable,
} from './fuzz-request';
import {
  anyOddValue,
  BAD_CURSORS,
  BAD_UUIDS,
  deeplyNested,
  ODD_NUMBERS,
  oddString,
  RawJson,
} from './hostile-values';
import { multipartBody } from './multipart-bodies';
import { Operation, Parameter } from './openapi-operations';
import { validValue } from './schema-values';

/**
 * Which fixture of the owner a path parameter names, by the path before it. A parameter with no
 * fixture, enum or known name here is fuzzed with random and invalid values only, and the suite
 * reports it (see `realPathValues`).
 */
const PATH_FIXTURES: [RegExp, FixtureKind][] = [
  [/\/users\/\{id\}/, 'user'],
  [/\/projects\/\{id\}/, 'project'],
  [/\/media\/\{id\}/, 'media'],
  [/\/jobs\/\{id\}/, 'job'],
  [/\/webhooks\/\{id\}/, 'webhook'],
  [/\/embeddings\/collections\/\{id\}/, 'collection'],
  [/\/documents\/\{documentId\}/, 'document'],
  [/\/conversations\/\{id\}/, 'conversation'],
  [/\/messages\/\{messageId\}/, 'message'],
  [/\/auth\/sessions\/\{id\}/, 'session'],
  [/\/api-keys\/\{id\}/, 'apiKey'],
];

/** Known names for path parameters that are names rather than ids. */
const PATH_CONSTANTS: [RegExp, string[]][] = [[/\/admin\/queues\/\{name\}/, ['jobs', 'webhooks']]];

/** Values of a path parameter that name something real: a fixture, an enum member, a name. */
export function realPathValues(
  operation: Operation,
  param: Parameter,
): fc.Arbitrary<string> | undefined {
  const fixture = PATH_FIXTURES.find(
    ([pattern]) => pattern.test(operation.path) && pattern.source.includes(`\\{${param.name}\\}`),
  )?.[1];
  if (fixture) return fc.constant(fixtureRef(fixture));
  const constants =
    (param.schema.enum as string[] | undefined) ??
    PATH_CONSTANTS.find(([pattern]) => pattern.test(operation.path))?.[1];
  return constants ? fc.constantFrom(...constants) : undefined;
}

/**
 * URLs stay under Node's 16 KB limit for the request head (Node answers past it, not Kiln): long
 * strings are fuzzed in bodies, where they fit.
 */
const fitsInUrl = (text: string) => percentEncode(text).length <= 1_500;

/** Pieces of URL that are not valid percent-encoding or that mean something to a router. */
const RAW_URL_PIECES = ['%', '%zz', '%E0%A4%A', '%C0%AF', '%00', '..', '.', '%2F..%2F', ';', '%20'];

function pathValue(operation: Operation, param: Parameter): fc.Arbitrary<PathValue> {
  const encoded = (value: fc.Arbitrary<string>) => value.map((v) => ({ value: v, raw: false }));
  const real = realPathValues(operation, param);
  return fc.oneof(
    ...(real ? [{ weight: 4, arbitrary: encoded(real) }] : []),
    { weight: 1, arbitrary: encoded(fc.uuid()) },
    { weight: 1, arbitrary: encoded(fc.constantFrom(...BAD_UUIDS)) },
    { weight: 2, arbitrary: encoded(oddString().filter(fitsInUrl)) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(...RAW_URL_PIECES).map((v) => ({ value: v, raw: true })),
    },
  );
}

/** Text for a query value of any generated kind. */
function queryText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof RawJson) return value.text;
  if (typeof value === 'number') return String(value);
  return JSON.stringify(value) ?? '';
}

const oddQueryValue = (): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 3, arbitrary: oddString().filter(fitsInUrl) },
    fc.constantFrom(...BAD_CURSORS),
    fc.constantFrom(...BAD_UUIDS),
    fc.constantFrom(...ODD_NUMBERS.map(String), '1e300', '-5', '0', '101', '1.5'),
    anyOddValue().map(queryText).filter(fitsInUrl),
  );

type QueryChange =
  | { kind: 'set'; at: number; value: string }
  | { kind: 'repeat'; at: number }
  | { kind: 'unknown'; name: string; value: string };

const queryChange = (): fc.Arbitrary<QueryChange> =>
  fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record({
        kind: fc.constant('set' as const),
        at: fc.nat(),
        value: oddQueryValue(),
      }),
    },
    fc.record({ kind: fc.constant('repeat' as const), at: fc.nat() }),
    fc.record({
      kind: fc.constant('unknown' as const),
      name: fc.oneof(
        fc.constantFrom('foo', 'page[]', 'limit[a]', '__proto__', 'offset'),
        oddString().filter(fitsInUrl),
      ),
      value: oddQueryValue(),
    }),
  );

function queryPairs(params: Parameter[]): fc.Arbitrary<[string, string][]> {
  const valid = fc.tuple(
    ...params.map((p) =>
      fc.option(
        validValue(p.schema, p.name).map((v) => [p.name, queryText(v)] as [string, string]),
        {
          nil: undefined,
        },
      ),
    ),
  );
  return fc.tuple(valid, fc.array(queryChange(), { maxLength: 3 })).map(([pairs, changes]) => {
    const query = pairs.filter((pair): pair is [string, string] => pair !== undefined);
    for (const change of changes) {
      if (change.kind === 'unknown') {
        query.push([change.name, change.value]);
      } else if (params.length > 0) {
        const name = params[change.at % params.length].name;
        if (change.kind === 'set') {
          const i = query.findIndex(([k]) => k === name);
          if (i >= 0) query[i] = [name, change.value];
          else query.push([name, change.value]);
        } else {
          query.push([name, '1'], [name, '2']);
        }
      }
    }
    return query;
  });
}

/** Content types a JSON route may be sent instead of application/json. */
const ODD_JSON_CONTENT_TYPES = [
  undefined,
  'text/plain',
  'application/x-www-form-urlencoded',
  'application/xml',
  'multipart/form-data; boundary=x',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'APPLICATION/JSON',
  'application/vnd.api+json',
  'application/octet-stream',
];

/** Bodies that are not JSON, or not quite. */
const BROKEN_JSON_TEXTS = [
  '',
  '{',
  '{"a":',
  'nul',
  "{'a':1}",
  '\uFEFF{}',
  '{"a":1}{"b":2}',
  '[1,2',
  '{"a":1,}',
  'undefined',
  '{"a":NaN}',
  '{"a":Infinity}',
];

function jsonBody(schema: NonNullable<Operation['body']>['schema']): fc.Arbitrary<Body> {
  const contentType = fc.oneof(
    { weight: 8, arbitrary: fc.constant('application/json') },
    { weight: 2, arbitrary: fc.constantFrom(...ODD_JSON_CONTENT_TYPES) },
  );
  // Mostly one mutation: the rest of the body stays valid, so the bad part reaches deep code.
  const mutations = fc.oneof(
    { weight: 3, arbitrary: fc.tuple(mutation()) },
    fc.array(mutation(), { minLength: 2, maxLength: 3 }),
  );
  const mutated = fc
    .tuple(validValue(schema), mutations)
    .map(([value, changes]) => applyMutations(value, changes));
  const value = fc.oneof(
    { weight: 12, arbitrary: mutated },
    { weight: 2, arbitrary: validValue(schema) },
    { weight: 2, arbitrary: anyOddValue() },
    { weight: 1, arbitrary: fc.constantFrom(deeplyNested(100), deeplyNested(5_000)) },
  );
  const raw = fc
    .oneof(
      fc.constantFrom(...BROKEN_JSON_TEXTS).map((text) => Buffer.from(text, 'utf8')),
      // Invalid UTF-8 inside a string.
      fc.constant(
        Buffer.concat([
          Buffer.from('{"name":"'),
          Buffer.from([0xff, 0xfe, 0xc0]),
          Buffer.from('"}'),
        ]),
      ),
      fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
    )
    .chain((bytes) => contentType.map((ct): Body => ({ kind: 'raw', contentType: ct, bytes })));
  return fc.oneof(
    {
      weight: 10,
      arbitrary: fc
        .tuple(contentType, value)
        .map(([ct, v]): Body => ({ kind: 'json', contentType: ct, value: v })),
    },
    { weight: 2, arbitrary: raw },
    { weight: 1, arbitrary: fc.constant<Body>({ kind: 'none' }) },
  );
}

/** Bodies sent to routes that take none: the route should ignore them or refuse them. */
const strayBody = (): fc.Arbitrary<Body> =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constant<Body>({ kind: 'none' }) },
    anyOddValue().map((value): Body => ({ kind: 'json', contentType: 'application/json', value })),
    fc.constantFrom(...BROKEN_JSON_TEXTS).map((text): Body => ({
      kind: 'raw',
      contentType: 'application/json',
      bytes: Buffer.from(text),
    })),
  );

/** Headers beside credentials and the body's Content-Type. */
function headers(operation: Operation): fc.Arbitrary<Record<string, string>> {
  // Header values stay within what Node's client may send (no control characters, latin1 only).
  const printableHeader = fc
    .string({ unit: 'binary-ascii', maxLength: 60 })
    .map((s) => s.replace(/[^\x20-\x7e]/g, ''));
  const idempotencyKey = fc.oneof(
    fc.constant(undefined),
    fc.uuid(),
    fc.constantFrom('', ' ', 'k'.repeat(255), 'k'.repeat(256), 'k'.repeat(4_000), 'clé'),
    printableHeader,
  );
  const maybe = <T>(arb: fc.Arbitrary<T>) =>
    fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, arb);
  return fc
    .record({
      'Idempotency-Key': operation.takesIdempotencyKey ? idempotencyKey : fc.constant(undefined),
      'X-Request-Id': maybe(fc.constantFrom('fuzz-1', 'a'.repeat(129), 'has spaces', '../..', '')),
      Accept: maybe(
        fc.constantFrom('text/event-stream', 'application/xml', '*/*', 'text/csv', 'image/png'),
      ),
      Range: maybe(
        fc.constantFrom(
          'bytes=0-0',
          'bytes=-1',
          'bytes=999999999999-',
          'bytes=5-1',
          'bytes=0-1,2-3',
          'items=0-1',
          'bytes=abc',
          `bytes=0-${'9'.repeat(30)}`,
        ),
      ),
    })
    .map(
      (all) =>
        Object.fromEntries(Object.entries(all).filter(([, v]) => v !== undefined)) as Record<
          string,
          string
        >,
    );
}

/** A claim of a signed token that names no one (small: the token travels in a header). */
const oddClaim = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    fc.uuid(),
    fc.constantFrom(...BAD_UUIDS),
    oddString().filter((s) => s.length <= 200),
    fc.integer(),
    fc.constantFrom(true, null, {}, [], { constructor: { prototype: { polluted: true } } }),
  );

/** What the anonymous caller sends: mostly nothing, else credentials that must not work. */
const anonymousCredentials = (): fc.Arbitrary<Credentials> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constant<Credentials>({ kind: 'none' }) },
    fc
      .constantFrom<Record<string, string>>(
        { Authorization: 'Bearer garbage' },
        { Authorization: 'Bearer ' },
        { Authorization: '' },
        { Authorization: 'Basic dXNlcjpwYXNz' },
        { Authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.' },
        { Authorization: 'Bearer eyJ.eyJ.sig' },
        { Authorization: `Bearer ${'a'.repeat(4_000)}` },
        { Authorization: 'Bearer kiln_notarealkeynotarealkey' },
        { 'X-API-Key': 'kiln_notarealkeynotarealkey' },
        { 'X-API-Key': '' },
        { 'X-API-Key': 'kiln_' },
      )
      .map((h): Credentials => ({ kind: 'headers', headers: h })),
    fc
      .record(
        { sub: oddClaim(), sid: oddClaim(), exp: fc.constantFrom(1, 2 ** 40, -1) },
        { requiredKeys: [] },
      )
      .map((claims): Credentials => ({ kind: 'signed-jwt', claims })),
  );

/** Every malformed (and now and then valid) request fast-check may make for an operation. */
export function requestArbitrary(operation: Operation): fc.Arbitrary<FuzzRequest> {
  const path = fc.record(
    Object.fromEntries(operation.pathParams.map((p) => [p.name, pathValue(operation, p)])),
  ) as fc.Arbitrary<Record<string, PathValue>>;
  const body = !operation.body
    ? strayBody()
    : operation.body.contentType.startsWith('multipart/')
      ? fc.oneof({ weight: 8, arbitrary: multipartBody() }, jsonBody(operation.body.schema))
      : jsonBody(operation.body.schema);
  return fc
    .record({
      path,
      query: queryPairs(operation.queryParams),
      headers: headers(operation),
      body,
      anonymous: anonymousCredentials(),
    })
    .map((request) => printable(operation.method, operation.path, request));
}
