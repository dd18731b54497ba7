import { Client } from 'pg';

/**
 * Tables a rejected request may write by design. None so far: audit entries, idempotency
 * records and usage are written in the transaction of a change that succeeds, and rate-limit
 * counters live in Redis. `migrations` belongs to the schema, not to requests.
 */
const WRITTEN_ON_REJECTION: readonly string[] = ['migrations'];

export type RowCounts = Map<string, number>;

/**
 * Counts the rows of every table of the public schema in one query (exact `count(*)`, not the
 * planner's estimates), to tell whether a request left rows behind or took some away.
 */
export class RowCounter {
  private constructor(
    private readonly client: Client,
    private readonly sql: string,
  ) {}

  static async open(databaseUrl: string): Promise<RowCounter> {
    const client = new Client({ connectionString: databaseUrl });
    await client.connect();
    const { rows } = await client.query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables
        WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
    );
    const tables = rows.map((r) => r.name).filter((name) => !WRITTEN_ON_REJECTION.includes(name));
    const sql = tables
      .map((name) => `SELECT '${name}' AS name, count(*)::int AS n FROM "${name}"`)
      .join(' UNION ALL ');
    return new RowCounter(client, sql);
  }

  async count(): Promise<RowCounts> {
    // Named, so PostgreSQL plans the union once per connection rather than per request.
    const { rows } = await this.client.query<{ name: string; n: number }>({
      name: 'fuzz-row-counts',
      text: this.sql,
    });
    return new Map(rows.map((r) => [r.name, r.n]));
  }

  /**
   * Counts once the database has stopped changing: after a request that succeeded, whatever it
   * set off (a cancelled job's events, say) has landed before the next request is judged.
   */
  async settled(intervalMs = 30, timeoutMs = 3_000): Promise<RowCounts> {
    const deadline = Date.now() + timeoutMs;
    let last = await this.count();
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
      const now = await this.count();
      if (RowCounter.changes(last, now).length === 0 || Date.now() > deadline) return now;
      last = now;
    }
  }

  /** `table: before → after` for every table whose count differs. */
  static changes(before: RowCounts, after: RowCounts): string[] {
    return [...after.entries()]
      .filter(([name, n]) => before.get(name) !== n)
      .map(([name, n]) => `${name}: ${before.get(name)} → ${n}`);
  }

  close(): Promise<void> {
    return this.client.end();
  }
}
