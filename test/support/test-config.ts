import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppConfig } from '../../src/config/app-config';
import { loadConfig } from '../../src/config/load-config';
import { runIdentity } from './test-env';

/** The configuration an e2e suite runs with: this run's database and Redis prefix, quiet logs. */
export function testEnv(overrides: Record<string, string> = {}): Record<string, string> {
  const { databaseUrl, redisPrefix } = runIdentity();
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: databaseUrl,
    DATABASE_CREATE: 'false',
    MIGRATIONS_RUN: 'false',
    REDIS_PREFIX: redisPrefix,
    STORAGE_DIR: join(tmpdir(), redisPrefix, 'storage'),
    // Fast hashes, and limits no suite reaches unless it sets its own.
    BCRYPT_COST: '4',
    RATE_LIMIT_DEFAULT: '100000',
    RATE_LIMIT_LOGIN: '100000',
    RATE_LIMIT_REGISTER: '100000',
    RATE_LIMIT_PASSWORD_RESET: '100000',
    // Every test app's worker may take any suite's queued work, so all share these.
    WEBHOOKS_ALLOW_PRIVATE: 'true',
    WEBHOOKS_TIMEOUT_MS: '2000',
    WEBHOOKS_MAX_ATTEMPTS: '3',
    WEBHOOKS_BACKOFF_MS: '100',
    JOBS_BACKOFF_MS: '200',
    // A jest worker's heap holds the modules of every suite it ran, not one app's; the heap
    // check has its own test with a low threshold.
    HEALTH_HEAP_MAX_MB: '16384',
    ...overrides,
  };
}

export function testConfig(overrides: Record<string, string> = {}): AppConfig {
  return loadConfig(testEnv(overrides));
}
