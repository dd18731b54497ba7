import SwaggerParser from '@apidevtools/swagger-parser';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderOpenApiJson } from '../src/http/openapi';
import { startTestApp, TestApp } from './support/test-app';

const committed = readFileSync(join(__dirname, '..', 'openapi.json'), 'utf8');

describe('OpenAPI document', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('matches the committed openapi.json (run `npm run openapi` after changing the API)', async () => {
    expect(await renderOpenApiJson()).toBe(committed);
  });

  it('is a valid OpenAPI 3 document', async () => {
    const api = await SwaggerParser.validate(JSON.parse(committed));
    expect(api).toHaveProperty('openapi', expect.stringMatching(/^3\./));
    const broken = { ...JSON.parse(committed), paths: { '/x': { get: { responses: 'none' } } } };
    await expect(SwaggerParser.validate(broken)).rejects.toThrow();
  });

  it('is served at /docs-json, equal to the committed file', async () => {
    const response = await t.http.get('/docs-json');
    expect(response.status).toBe(200);
    expect(response.body).toEqual(JSON.parse(committed));
  });

  it('serves Swagger UI at /docs', async () => {
    const response = await t.http.get('/docs');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/text\/html/);
    expect(response.text).toContain('swagger-ui');
  });

  it('declares bearer and API-key security, and the problem+json schema', () => {
    const document = JSON.parse(committed);
    expect(document.components.securitySchemes).toEqual({
      bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
      'api-key': { type: 'apiKey', in: 'header', name: 'X-API-Key' },
    });
    expect(Object.keys(document.components.schemas.ProblemDetails.properties)).toEqual(
      expect.arrayContaining([
        'type',
        'title',
        'status',
        'detail',
        'instance',
        'requestId',
        'errors',
      ]),
    );
  });

  it('marks public operations with no security and gives every operation a problem answer', () => {
    const document = JSON.parse(committed);
    const live = document.paths['/api/v1/health/live'].get;
    expect(live.security).toEqual([]);
    for (const item of Object.values<Record<string, { responses: object }>>(document.paths)) {
      for (const operation of Object.values(item)) {
        expect(operation.responses).toHaveProperty('default');
      }
    }
  });
});
