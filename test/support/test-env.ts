import { randomBytes } from 'node:crypto';

const SERVER_URL =
  process.env.KILN_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Names this run's database and Redis prefix once, in global setup, for every suite to share. */
export function createRunIdentity(): { databaseUrl: string; redisPrefix: string } {
  const run = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const url = new URL(SERVER_URL);
  url.pathname = `/kiln_test_${run}`;
  return { databaseUrl: url.toString(), redisPrefix: `kiln-test-${run}` };
}

export function runIdentity(): { databaseUrl: string; redisPrefix: string } {
  const databaseUrl = process.env.KILN_TEST_DATABASE_URL;
  const redisPrefix = process.env.KILN_TEST_REDIS_PREFIX;
  if (!databaseUrl || !redisPrefix) throw new Error('e2e global setup did not run');
  return { databaseUrl, redisPrefix };
}
