import { eventually } from './support/eventually';
import { freePort } from './support/free-port';
import { PrivateRedis } from './support/private-redis';
import { startTestApp, TestApp } from './support/test-app';

describe('health probes', () => {
  describe('with every dependency up', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp();
    });
    afterAll(() => t.close());

    it('GET /health/live answers 200 {status:"ok"}', async () => {
      const response = await t.http.get('/api/v1/health/live');
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ status: 'ok' });
    });

    it('GET /health/ready answers 200 with every check up', async () => {
      const response = await t.http.get('/api/v1/health/ready');
      expect(response.status).toBe(200);
      expect(response.body.status).toBe('ok');
      expect(Object.keys(response.body.details).sort()).toEqual([
        'database',
        'lifecycle',
        'memory_heap',
        'queues',
        'redis',
        'storage',
        'vectors',
      ]);
    });
  });

  describe('when Redis goes away and comes back', () => {
    let t: TestApp;
    let redis: PrivateRedis;

    beforeAll(async () => {
      redis = new PrivateRedis(await freePort());
      await redis.start();
      t = await startTestApp({ REDIS_URL: redis.url });
    });
    afterAll(async () => {
      await redis.start();
      await t.close();
      await redis.stop();
    });

    it('turns readiness to 503 with details, and back to 200 once Redis is back', async () => {
      expect((await t.http.get('/api/v1/health/ready')).status).toBe(200);

      await redis.stop();
      const down = await eventually(async () => {
        const response = await t.http.get('/api/v1/health/ready');
        expect(response.status).toBe(503);
        return response;
      });
      expect(down.body.status).toBe('error');
      expect(down.body.error.redis.status).toBe('down');
      expect(down.body.details.database.status).toBe('up');
      expect((await t.http.get('/api/v1/health/live')).status).toBe(200);

      await redis.start();
      await eventually(async () => {
        expect((await t.http.get('/api/v1/health/ready')).status).toBe(200);
      });
    });
  });

  describe('when the heap is over its threshold', () => {
    it('answers 503 naming memory_heap', async () => {
      const t = await startTestApp({ HEALTH_HEAP_MAX_MB: '16' });
      try {
        const response = await t.http.get('/api/v1/health/ready');
        expect(response.status).toBe(503);
        expect(response.body.error.memory_heap.status).toBe('down');
      } finally {
        await t.close();
      }
    });
  });
});
