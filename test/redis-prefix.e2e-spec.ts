import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import Redis from 'ioredis';
import { REDIS } from '../src/infra/redis/redis.module';
import { QueueFixtureModule } from './fixtures/queue-fixture.module';
import { deleteRedisKeys, TEST_REDIS_URL } from './support/redis-keys';
import { startTestApp, TestApp } from './support/test-app';

describe('Redis key prefix', () => {
  let t: TestApp;
  let raw: Redis;
  const prefix = `kiln-prefix-${Date.now()}`;

  beforeAll(async () => {
    t = await startTestApp({ REDIS_PREFIX: prefix }, [QueueFixtureModule]);
    raw = new Redis(TEST_REDIS_URL);
  });
  afterAll(async () => {
    raw.disconnect();
    await t.close();
    await deleteRedisKeys(prefix);
  });

  it('puts Bull queue keys and Kiln keys under REDIS_PREFIX only', async () => {
    const queue = t.app.get<Queue>(getQueueToken('fixture'));
    await queue.add({ hello: 'world' }, { jobId: 'prefixed-job' });
    await t.app.get<Redis>(REDIS).set('probe', '1');

    const keys = await raw.keys(`*${prefix}*`);
    expect(keys).toEqual(
      expect.arrayContaining([`${prefix}:bull:fixture:prefixed-job`, `${prefix}:probe`]),
    );
    expect(keys.every((key) => key.startsWith(`${prefix}:`))).toBe(true);
  });
});
