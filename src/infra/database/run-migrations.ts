import { Client } from 'pg';
import type { DataSource, Migration } from 'typeorm';

/** Any constant shared by every Kiln instance; it names the advisory lock migrations take. */
const MIGRATION_LOCK_KEY = 4_242_001;

/**
 * Applies pending migrations while holding a PostgreSQL advisory lock on a connection of its
 * own, so replicas that start together migrate one after the other instead of racing.
 */
export async function runMigrationsLocked(
  dataSource: DataSource,
  url: string,
): Promise<Migration[]> {
  const lock = new Client({ connectionString: url });
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    return await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lock.end();
  }
}
