import { PipelineFixtureModule } from './fixtures/pipeline-fixture.module';
import { expectProblem } from './support/problem';
import { startTestApp, TestApp } from './support/test-app';

describe('HTTP pipeline', () => {
  let t: TestApp;
  const valid = { email: 'a@example.com', seats: 2, address: { city: 'Lyon' } };

  beforeAll(async () => {
    t = await startTestApp({ BODY_LIMIT_BYTES: '2048', CORS_ORIGINS: 'https://app.example.com' }, [
      PipelineFixtureModule,
    ]);
  });
  afterAll(() => t.close());

  describe('request ids', () => {
    it('gives every response an X-Request-Id', async () => {
      const response = await t.http.get('/api/v1/health/live');
      expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('echoes a well-formed X-Request-Id sent by the client', async () => {
      const response = await t.http.get('/api/v1/health/live').set('X-Request-Id', 'client-req.42');
      expect(response.headers['x-request-id']).toBe('client-req.42');
    });

    it('replaces an X-Request-Id that could inject into logs', async () => {
      const response = await t.http
        .get('/api/v1/health/live')
        .set('X-Request-Id', 'bad id with spaces {"level":60}');
      expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });
  });

  describe('errors as problem+json', () => {
    it('answers 404 for an unknown route', async () => {
      const body = expectProblem(await t.http.get('/api/v1/no-such-route'), 404);
      expect(body).toMatchObject({ title: 'Not Found', instance: '/api/v1/no-such-route' });
    });

    it('answers 400 for malformed JSON', async () => {
      const response = await t.http
        .post('/api/v1/pipeline-fixture/signup')
        .set('content-type', 'application/json')
        .send('{"email": ');
      expect(expectProblem(response, 400).detail).toMatch(/could not be parsed|not valid JSON/);
    });

    it('answers 400 naming an unknown field', async () => {
      const response = await t.http
        .post('/api/v1/pipeline-fixture/signup')
        .send({ ...valid, isAdmin: true });
      const body = expectProblem(response, 400);
      expect(body.errors).toEqual([
        { field: 'isAdmin', message: 'property isAdmin should not exist' },
      ]);
    });

    it('lists every offending field, nested ones with dotted paths', async () => {
      const response = await t.http
        .post('/api/v1/pipeline-fixture/signup')
        .send({ email: 'nope', seats: 99, address: { city: 'Much too long a city' } });
      const body = expectProblem(response, 400);
      const fields = (body.errors as { field: string }[]).map((e) => e.field).sort();
      expect(fields).toEqual(['address.city', 'email', 'seats']);
    });

    it('answers 400 when the body is not an object at all', async () => {
      const response = await t.http
        .post('/api/v1/pipeline-fixture/signup')
        .set('content-type', 'application/json')
        .send('[1,2,3]');
      expectProblem(response, 400);
    });

    it('answers 413 for a body over the limit', async () => {
      const response = await t.http
        .post('/api/v1/pipeline-fixture/signup')
        .send({ ...valid, padding: 'x'.repeat(4096) });
      expectProblem(response, 413);
    });

    it('answers 415 for a content type it does not parse', async () => {
      const response = await t.http
        .post('/api/v1/pipeline-fixture/signup')
        .set('content-type', 'application/x-unknown')
        .send('hello');
      expectProblem(response, 415);
    });

    it('accepts a valid body and hands the typed DTO to the route', async () => {
      const response = await t.http.post('/api/v1/pipeline-fixture/signup').send(valid);
      expect(response.status).toBe(201);
      expect(response.body).toEqual(valid);
    });

    it('answers 409 when PostgreSQL reports a unique violation', async () => {
      const name = `n-${Date.now()}`;
      expect((await t.http.post('/api/v1/pipeline-fixture/unique').send({ name })).status).toBe(
        201,
      );
      const body = expectProblem(
        await t.http.post('/api/v1/pipeline-fixture/unique').send({ name }),
        409,
      );
      expect(JSON.stringify(body)).not.toMatch(/pipeline_fixture|duplicate key|INSERT/);
    });

    it('answers 500 without a stack trace or SQL for anything unexpected', async () => {
      const response = await t.http.get('/api/v1/pipeline-fixture/boom');
      const body = expectProblem(response, 500);
      expect(response.text).not.toMatch(/secret internals|SELECT|at .*\.ts/);
      expect(body.detail).toMatch(/request id/);
    });

    it('closes routes that are not marked public with 401', async () => {
      expectProblem(await t.http.get('/api/v1/pipeline-fixture/closed'), 401);
    });
  });

  describe('headers', () => {
    it('sets API security headers on API answers, errors included', async () => {
      for (const path of ['/api/v1/health/live', '/api/v1/no-such-route']) {
        const response = await t.http.get(path);
        expect(response.headers).toMatchObject({
          'x-content-type-options': 'nosniff',
          'x-frame-options': 'DENY',
          'strict-transport-security': expect.stringContaining('max-age='),
          'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
          'referrer-policy': 'no-referrer',
        });
      }
    });

    it('lets the Swagger UI page run its own scripts, and nothing from elsewhere', async () => {
      const response = await t.http.get('/docs');
      expect(response.headers['content-security-policy']).toContain(
        "script-src 'self' 'unsafe-inline'",
      );
      expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    });

    it('allows the configured CORS origin and no other', async () => {
      const allowed = await t.http
        .options('/api/v1/health/live')
        .set('Origin', 'https://app.example.com')
        .set('Access-Control-Request-Method', 'GET');
      expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example.com');
      const other = await t.http
        .get('/api/v1/health/live')
        .set('Origin', 'https://evil.example.com');
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
    });
  });
});
