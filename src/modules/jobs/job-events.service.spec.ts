import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig } from '../../config/load-config';
import { JobEvent, JobEventsService } from './job-events.service';
import { JobStatus } from './job-types';

/** Against the local Redis: what matters is which channels this process really subscribes to. */
describe('JobEventsService', () => {
  const config = loadConfig({ REDIS_PREFIX: `kiln-events-${randomUUID()}` });
  let redis: Redis;
  let events: JobEventsService;

  beforeEach(() => {
    redis = new Redis(config.redis.url);
    events = new JobEventsService(redis, config);
  });

  afterEach(async () => {
    await events.onApplicationShutdown();
    redis.disconnect();
  });

  const channelOf = (jobId: string) => `${config.redis.prefix}:jobs:events:${jobId}`;
  const subscribers = async (jobId: string) =>
    Number(((await redis.pubsub('NUMSUB', channelOf(jobId))) as [string, number])[1]);
  const progress = (id: string, value: number): JobEvent => ({
    event: 'progress',
    data: { id, progress: value },
  });

  /** Polls `condition` for up to a second: pub/sub delivers asynchronously. */
  async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
    for (let waited = 0; !(await condition()) && waited < 1000; waited += 10) await sleep(10);
  }

  async function receivedCount(received: JobEvent[], count: number): Promise<void> {
    await until(() => received.length >= count);
    expect(received).toHaveLength(count);
  }

  it('subscribes to a job only while someone here listens, once for all its listeners', async () => {
    const jobId = randomUUID();
    const first: JobEvent[] = [];
    const second: JobEvent[] = [];
    expect(await subscribers(jobId)).toBe(0);

    const stopFirst = await events.subscribe(jobId, (event) => first.push(event));
    const stopSecond = await events.subscribe(jobId, (event) => second.push(event));
    expect(await subscribers(jobId)).toBe(1);
    await events.publish(progress(jobId, 10));
    await receivedCount(first, 1);
    await receivedCount(second, 1);

    stopFirst();
    stopFirst();
    expect(await subscribers(jobId)).toBe(1);
    await events.publish(progress(jobId, 20));
    await receivedCount(second, 2);
    expect(first).toEqual([progress(jobId, 10)]);

    stopSecond();
    await until(async () => (await subscribers(jobId)) === 0);
    expect(await subscribers(jobId)).toBe(0);
  });

  it('does not receive the events of jobs nobody here listens to', async () => {
    const watched = randomUUID();
    const received: JobEvent[] = [];
    const stop = await events.subscribe(watched, (event) => received.push(event));
    const other = randomUUID();
    await events.publish({
      event: 'status',
      data: { id: other, status: JobStatus.Completed, progress: 100, outputs: [] },
    });
    await events.publish(progress(watched, 50));
    await receivedCount(received, 1);
    expect(received[0]).toEqual(progress(watched, 50));
    expect(await subscribers(other)).toBe(0);
    stop();
  });

  it('subscribes again when a job is listened to after its last listener left', async () => {
    const jobId = randomUUID();
    (await events.subscribe(jobId, () => undefined))();
    const received: JobEvent[] = [];
    const stop = await events.subscribe(jobId, (event) => received.push(event));
    await events.publish(progress(jobId, 30));
    await receivedCount(received, 1);
    stop();
  });

  it('tells the listeners of a cancelled job, and only them', async () => {
    const cancelled = randomUUID();
    const running = randomUUID();
    const calls: string[] = [];
    const stopCancelled = await events.onCancel(cancelled, () => calls.push(cancelled));
    const stopRunning = await events.onCancel(running, () => calls.push(running));
    await events.requestCancel(cancelled);
    await until(() => calls.length > 0);
    expect(calls).toEqual([cancelled]);
    stopCancelled();
    stopRunning();
  });
});
