import Redis from 'ioredis';
import { dropDatabase } from '../../src/infra/database/ensure-database';
import { runIdentity } from './test-env';

/** Drops the run's database and deletes every Redis key under its prefix. */
export default async function globalTeardown(): Promise<void> {
  const { databaseUrl, redisPrefix } = runIdentity();
  await dropDatabase(databaseUrl);
  const redis = new Redis(process.env.KILN_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${redisPrefix}:*`, 'COUNT', 500);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
