import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { compileFilter } from './compile-filter';
import { matchesFilter } from './match-filter';
import { parseFilter } from './parse-filter';

// Talks to the real PostgreSQL, in a scratch database of its own that it drops at the end.
const SERVER_URL =
  process.env.KILN_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const EVIL = `'); DROP TABLE docs; --`;

const ROWS: Record<string, unknown>[] = [
  { genre: 'jazz', year: 1959, rating: 4.5, live: false },
  { genre: 'jazz', year: 1964, rating: 5, live: true, tags: ['modal'] },
  { genre: 'rock', year: 1969, rating: 3.75, live: true },
  { genre: 'Rock', year: '1969', rating: '4' },
  { genre: 'blues', year: 1959.0, live: 'false' },
  { genre: 'électro', year: -12, rating: 0 },
  { genre: '😀 emoji', year: 2e3, rating: -0.5 },
  { genre: '\uff01 fullwidth', year: 1e21 },
  { genre: null, year: null, live: null },
  { genre: ['jazz'], year: { value: 1959 }, rating: [5] },
  { tags: 'modal', [EVIL]: EVIL },
  { "it's": 'quoted "key"', 'a.b': 1 },
  {},
  { genre: 'jazz', year: 2001, rating: 2.25, live: false, extra: 'x' },
  { genre: 'ambient', year: 2001, rating: 3, live: false },
];

const FILTERS: unknown[] = [
  { genre: 'jazz' },
  { genre: 'rock' },
  { year: 1959 },
  { year: '1969' },
  { live: false },
  { live: true },
  { tags: 'modal' },
  { [EVIL]: EVIL },
  { "it's": 'quoted "key"' },
  { 'a.b': 1 },
  { genre: { $ne: 'jazz' } },
  { live: { $ne: false } },
  { rating: { $ne: 5 } },
  { year: { $gt: 1960 } },
  { year: { $gte: 1959 } },
  { year: { $lt: 0 } },
  { year: { $lte: 2000 } },
  { rating: { $gt: 3.75 } },
  { rating: { $lte: -0.5 } },
  { year: { $gt: 1e20 } },
  { genre: { $gt: 'blues' } },
  { genre: { $gte: 'Rock' } },
  { genre: { $lt: 'jazz' } },
  { genre: { $lte: 'a' } },
  { genre: { $gt: '\uff00' } },
  { year: { $gt: '1900' } },
  { live: { $gte: 0 } },
  { genre: { $in: ['jazz', 'rock', 1959] } },
  { year: { $in: [1959, '1969', 2001] } },
  { live: { $in: [true, 'false'] } },
  { genre: { $nin: ['jazz', 'rock'] } },
  { rating: { $nin: [5, 4.5] } },
  { year: { $gte: 1959, $lt: 1970 } },
  { genre: 'jazz', live: false },
  { $and: [{ genre: 'jazz' }, { rating: { $gte: 4.5 } }] },
  { $or: [{ genre: 'rock' }, { year: { $lt: 0 } }, { tags: 'modal' }] },
  { $or: [{ $and: [{ genre: 'jazz' }, { live: true }] }, { rating: { $lt: 1 } }] },
  {
    $and: [
      { $or: [{ year: 2001 }, { year: 1959 }] },
      { $or: [{ live: false }, { genre: 'blues' }] },
    ],
  },
  { $or: [{ genre: { $ne: 'jazz' } }, { year: { $nin: [1959] } }] },
  { $and: [{ missing: { $ne: 1 } }, { $or: [{ rating: { $gt: 4 } }, { genre: { $lte: 'b' } }] }] },
];

describe('compileFilter against PostgreSQL', () => {
  const databaseName = `kiln_filter_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: SERVER_URL });
  let db: Client;

  beforeAll(async () => {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${databaseName}`);
    const url = new URL(SERVER_URL);
    url.pathname = `/${databaseName}`;
    db = new Client({ connectionString: url.toString() });
    await db.connect();
    await db.query('CREATE TABLE docs (id int PRIMARY KEY, metadata jsonb NOT NULL)');
    for (const [id, metadata] of ROWS.entries()) {
      await db.query('INSERT INTO docs (id, metadata) VALUES ($1, $2)', [id, metadata]);
    }
  });

  afterAll(async () => {
    await db?.end();
    await admin.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
    await admin.end();
  });

  async function selectIds(where: string, params: unknown[]): Promise<number[]> {
    const result = await db.query<{ id: number }>(
      `SELECT id FROM docs WHERE ${where} ORDER BY id`,
      params,
    );
    return result.rows.map(({ id }) => id);
  }

  it.each(FILTERS.map((filter) => [JSON.stringify(filter), filter]))(
    'selects the rows matchesFilter accepts for %s',
    async (_name, input) => {
      const filter = parseFilter(input);
      // Read back from PostgreSQL, so both sides see the same numbers and strings.
      const stored = await db.query<{ id: number; metadata: Record<string, unknown> }>(
        'SELECT id, metadata FROM docs ORDER BY id',
      );
      const expected = stored.rows
        .filter(({ metadata }) => matchesFilter(filter, metadata))
        .map(({ id }) => id);
      const params: unknown[] = [];
      expect(await selectIds(compileFilter(filter, 'metadata', params), params)).toEqual(expected);
    },
  );

  it('selects something for most filters, so that agreement is not all on empty answers', async () => {
    let nonEmpty = 0;
    for (const input of FILTERS) {
      const params: unknown[] = [];
      const ids = await selectIds(compileFilter(parseFilter(input), 'metadata', params), params);
      if (ids.length > 0 && ids.length < ROWS.length) nonEmpty++;
    }
    expect(nonEmpty).toBeGreaterThan(FILTERS.length * 0.8);
  });

  it('numbers its parameters after those already given', async () => {
    const params: unknown[] = [2];
    const where = compileFilter(parseFilter({ genre: 'jazz' }), 'metadata', params);
    expect(where).toContain('$2');
    expect(await selectIds(`id >= $1 AND ${where}`, params)).toEqual([13]);
  });

  it('puts no key or value into the SQL text', () => {
    const params: unknown[] = [];
    const where = compileFilter(
      parseFilter({
        $or: [
          { [EVIL]: EVIL },
          { [EVIL]: { $gt: EVIL, $lt: 7 } },
          { [EVIL]: { $in: [EVIL, 8] } },
          { [EVIL]: { $nin: [9] } },
        ],
      }),
      'metadata',
      params,
    );
    expect(where).not.toMatch(/DROP|'\)|(?<!\$)\b[789]\b/);
    expect(params).toContain(EVIL);
  });

  it('refuses a column that is not a plain name', () => {
    expect(() => compileFilter(parseFilter({ a: 1 }), 'metadata; --', [])).toThrow(
      'not a column name',
    );
    expect(compileFilter(parseFilter({ a: 1 }), 'c.metadata', [])).toBe('c.metadata @> $1::jsonb');
  });
});
