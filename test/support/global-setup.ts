import { DataSource } from 'typeorm';
import { databaseOptions } from '../../src/infra/database/database-options';
import { ensureDatabase } from '../../src/infra/database/ensure-database';
import { runMigrationsLocked } from '../../src/infra/database/run-migrations';
import { createRunIdentity } from './test-env';

/** Each e2e run gets a fresh database, migrated, and a Redis prefix of its own. */
export default async function globalSetup(): Promise<void> {
  const { databaseUrl, redisPrefix } = createRunIdentity();
  await ensureDatabase(databaseUrl);
  const dataSource = await new DataSource(
    databaseOptions({ url: databaseUrl, poolSize: 2 }),
  ).initialize();
  try {
    await runMigrationsLocked(dataSource, databaseUrl);
  } finally {
    await dataSource.destroy();
  }
  process.env.KILN_TEST_DATABASE_URL = databaseUrl;
  process.env.KILN_TEST_REDIS_PREFIX = redisPrefix;
}
