import { expectProblem } from './support/problem';
import { startTestApp, TestApp } from './support/test-app';

describe('GET /metrics', () => {
  describe('without METRICS_TOKEN', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp();
    });
    afterAll(() => t.close());

    it('serves Prometheus text with request durations by route, method and status', async () => {
      await t.http.get('/api/v1/health/live');
      await t.http.get('/api/v1/no-such-route');
      const response = await t.http.get('/api/v1/metrics');
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(response.text).toMatch(
        /kiln_http_request_duration_seconds_count\{route="\/api\/v1\/health\/live",method="GET",status="200"\} [1-9]/,
      );
      expect(response.text).toMatch(
        /kiln_http_request_duration_seconds_count\{route="unmatched",method="GET",status="404"\} [1-9]/,
      );
      expect(response.text).toContain('process_resident_memory_bytes');
    });
  });

  describe('with METRICS_TOKEN set', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ METRICS_TOKEN: 'scrape-secret' });
    });
    afterAll(() => t.close());

    it('answers 401 problem+json without the token', async () => {
      expectProblem(await t.http.get('/api/v1/metrics'), 401);
    });

    it('answers 401 with a wrong token', async () => {
      const response = await t.http.get('/api/v1/metrics').set('Authorization', 'Bearer nope');
      expectProblem(response, 401);
    });

    it('answers 200 with the token', async () => {
      const response = await t.http
        .get('/api/v1/metrics')
        .set('Authorization', 'Bearer scrape-secret');
      expect(response.status).toBe(200);
    });
  });
});
