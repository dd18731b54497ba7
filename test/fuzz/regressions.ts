import { fixtureRef, FuzzRequest, PathValue, printable } from './fuzz-request';
import { deeplyNested, RawJson } from './hostile-values';

/**
 * Requests the fuzz once found breaking Kiln (a 5xx, no answer at all, or an error that was not
 * problem+json). Every run sends them first, before what fast-check generates, so a fixed bug stays
 * fixed even when a run's random requests would not find it again.
 */

const B = 'regressionboundary';

/** Twelve fields (over the limit of ten) and then a file: the upload never got an answer. */
const FIELDS_THEN_FILE = Buffer.from(
  [
    ...Array.from(
      { length: 12 },
      (_, i) => `--${B}\r\nContent-Disposition: form-data; name="f${i}"\r\n\r\nx\r\n`,
    ),
    `--${B}\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n`,
    `Content-Type: image/png\r\n\r\nhello\r\n--${B}--\r\n`,
  ].join(''),
);

const id = (kind: Parameters<typeof fixtureRef>[0]): PathValue => ({
  value: fixtureRef(kind),
  raw: false,
});

const json = (value: unknown) => ({
  kind: 'json' as const,
  contentType: 'application/json',
  value,
});

const GENERATE = {
  type: 'generate',
  params: { prompt: 'fuzz', durationSec: 1, resolution: '480p', quality: 'low' },
};

type Regression = [key: string, request: Partial<FuzzRequest>];

const REGRESSIONS: Regression[] = [
  // Arrays of arrays passed @ValidateNested, and an explicit null embedding counted as given.
  [
    'POST /api/v1/embeddings/collections/{id}/documents',
    { path: { id: id('collection') }, body: json({ documents: [[[[[]]]]] }) },
  ],
  [
    'POST /api/v1/embeddings/collections/{id}/search',
    { path: { id: id('collection') }, body: json({ embedding: null }) },
  ],
  // NUL in text and jsonb: PostgreSQL refuses it (22021, 22P05), which was a 500.
  ['POST /api/v1/projects', { body: json({ name: 'a\u0000b' }) }],
  ['PATCH /api/v1/auth/me', { body: json({ name: 'a\u0000b' }) }],
  [
    'POST /api/v1/webhooks',
    { body: json({ url: 'https://93.184.215.14/\u0000', events: ['job.failed'] }) },
  ],
  [
    'POST /api/v1/embeddings/collections',
    { body: json({ name: 'x', metadata: { a: 'b\u0000' } }) },
  ],
  [
    'PATCH /api/v1/conversations/{id}',
    { path: { id: id('conversation') }, body: json({ metadata: { 'k\u0000': 'v' } }) },
  ],
  [
    'POST /api/v1/conversations/{id}/messages',
    { path: { id: id('conversation') }, body: json({ content: 'x\u0000', reply: false }) },
  ],
  ['GET /api/v1/projects', { query: [['search', '\u0000']] }],
  ['GET /api/v1/conversations', { query: [['search', '\u0000']] }],
  // Half a surrogate pair made class-validator's IsEmail throw a URIError (500).
  ['POST /api/v1/auth/password-reset/request', { body: json({ email: 'x\udc00y' }) }],
  ['POST /api/v1/auth/login', { body: json({ email: 'x\udc00y', password: 'abcdefgh' }) }],
  [
    'POST /api/v1/auth/register',
    { body: json({ email: 'x\udc00y@example.com', password: 'abcdefghij' }) },
  ],
  // null for a NOT NULL column that the DTO left optional (23502).
  ['PATCH /api/v1/projects/{id}', { path: { id: id('project') }, body: json({ status: null }) }],
  // params: null reached class-validator's validate(null), which throws (500).
  ['POST /api/v1/jobs', { body: json({ type: 'generate', params: null }) }],
  // A page whose offset is not a safe integer was written as 1e+302 into SQL.
  ['GET /api/v1/projects', { query: [['page', '1e300']] }],
  // A cursor past bigint (22003).
  [
    'GET /api/v1/conversations/{id}/messages',
    { path: { id: id('conversation') }, query: [['cursor', '9999999999999999999']] },
  ],
  // An Idempotency-Key longer than its column (22001).
  ['POST /api/v1/jobs', { headers: { 'Idempotency-Key': 'k'.repeat(256) }, body: json(GENERATE) }],
  // The multipart parser gave up after announcing the file, and the upload waited forever.
  [
    'POST /api/v1/media',
    {
      body: {
        kind: 'raw',
        contentType: `multipart/form-data; boundary=${B}`,
        bytes: FIELDS_THEN_FILE,
      },
    },
  ],
  // A multipart Content-Type without a boundary made the parser throw a plain error (500).
  [
    'POST /api/v1/media',
    {
      body: {
        kind: 'raw',
        contentType: 'multipart/form-data',
        bytes: Buffer.from(`--${B}--\r\n`),
      },
    },
  ],
  // JSON nested a thousand levels deep overflowed class-transformer's stack (500).
  ['POST /api/v1/projects', { body: json(deeplyNested(1_000)) }],
  [
    'POST /api/v1/projects',
    {
      body: json({
        name: 'x',
        description: new RawJson(`${'['.repeat(3_000)}${']'.repeat(3_000)}`),
      }),
    },
  ],
  // Fastify's router answered these itself, in its own JSON rather than problem+json.
  ['GET /api/v1/jobs/{id}', { path: { id: { value: '%', raw: true } } }],
  ['GET /api/v1/jobs/{id}', { path: { id: { value: 'a'.repeat(201), raw: false } } }],
  // A token signed with Kiln's secret whose subject is not a user id reached the identity query.
  [
    'GET /api/v1/webhooks',
    { anonymous: { kind: 'signed-jwt', claims: { sub: { a: 1 }, sid: 'x' } } },
  ],
  ['GET /api/v1/auth/me', { anonymous: { kind: 'signed-jwt', claims: { sub: '-1' } } }],
];

/** The regressions of an operation, as complete requests. */
export function regressionsOf(method: string, path: string): FuzzRequest[] {
  const key = `${method.toUpperCase()} ${path}`;
  return REGRESSIONS.filter(([k]) => k === key).map(([, partial]) =>
    printable(method, path, {
      path: {},
      query: [],
      headers: {},
      body: { kind: 'none' },
      anonymous: { kind: 'none' },
      ...partial,
    }),
  );
}

/** Operations the regressions name: each must still be in the document. */
export const REGRESSION_OPERATIONS = [...new Set(REGRESSIONS.map(([key]) => key))];
