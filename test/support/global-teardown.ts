import { dropDatabase } from '../../src/infra/database/ensure-database';
import { deleteRedisKeys } from './redis-keys';
import { runIdentity } from './test-env';

/** Drops the run's database and deletes every Redis key under its prefix. */
export default async function globalTeardown(): Promise<void> {
  const { databaseUrl, redisPrefix } = runIdentity();
  await dropDatabase(databaseUrl);
  await deleteRedisKeys(redisPrefix);
}
