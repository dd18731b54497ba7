import SwaggerParser from '@apidevtools/swagger-parser';
import { getMetadataStorage } from 'class-validator';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderOpenApiJson } from '../src/http/openapi';
import { startTestApp, TestApp } from './support/test-app';

const committed = readFileSync(join(__dirname, '..', 'openapi.json'), 'utf8');

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: { type?: string };
}
interface Answer {
  content?: Record<string, { schema?: Record<string, unknown> }>;
}
interface Operation {
  parameters?: Parameter[];
  responses: Record<string, Answer>;
}

function operations(document: { paths: Record<string, Record<string, Operation>> }) {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => ({ at: `${method} ${path}`, operation })),
  );
}

/** Every schema object in `node`, with where it is, for assertions over the whole document. */
function* schemasIn(node: unknown, at = '#'): Generator<[string, Record<string, unknown>]> {
  if (!node || typeof node !== 'object') return;
  if ('type' in node) yield [at, node as Record<string, unknown>];
  for (const [key, value] of Object.entries(node)) yield* schemasIn(value, `${at}/${key}`);
}

/** The routes that honour Idempotency-Key. */
const IDEMPOTENT = [
  'post /api/v1/jobs',
  'post /api/v1/media',
  'post /api/v1/conversations/{id}/messages',
];

/** The routes whose work is metered (UsageMeter reserve or assertRoom), so they may answer 402. */
const METERED = [
  'post /api/v1/jobs',
  'post /api/v1/media',
  'post /api/v1/conversations/{id}/messages',
  'post /api/v1/embeddings/collections/{id}/documents',
];

/** 2xx answers that are no JSON body: Prometheus text, event streams, media bytes. */
const NOT_JSON = [
  'get /api/v1/metrics 200',
  'get /api/v1/jobs/{id}/events 200',
  'post /api/v1/conversations/{id}/messages 200',
  'get /api/v1/media/{id}/content 200',
  'get /api/v1/media/{id}/content 206',
];

/**
 * Answers whose nullable fields are always sent: a client must see them as present, maybe null.
 * (Fields an answer leaves out, such as MediaDto.durationSec, are optional and not nullable.)
 */
const ALWAYS_SENT_NULLABLES = [
  'ApiKeyDto',
  'AuditEntryDto',
  'CollectionDto',
  'ConversationDto',
  'CreditEntryDto',
  'JobDto',
  'JobStatsDto',
  'MediaDto',
  'PlanDto',
  'ProjectDto',
  'SessionDto',
  'UserDto',
];

/** Property names that only ever hold whole numbers: counts, sizes, positions, milliseconds. */
const WHOLE_NUMBER =
  /(Count|Ms)$|^(total|page|limit|totalPages|index|dimension|sizeBytes|attempts|progress)$/;

/**
 * Every property that the request validation holds to whole numbers (`@IsInt()`), by class.
 * class-validator keeps its rules in a map it does not export a reader for.
 */
function integerRules(): { dto: string; property: string }[] {
  const storage = getMetadataStorage() as unknown as {
    validationMetadatas: Map<{ name: string }, { name?: string; propertyName: string }[]>;
  };
  return [...storage.validationMetadatas].flatMap(([target, rules]) =>
    rules
      .filter((rule) => rule.name === 'isInt')
      .map((rule) => ({ dto: target.name, property: rule.propertyName })),
  );
}

/** A schema a client generator can type: a reference, a type, or a composition of them. */
function isTyped(schema: Record<string, unknown> | undefined): boolean {
  return !!schema && ['$ref', 'type', 'allOf', 'oneOf', 'anyOf'].some((key) => key in schema);
}

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

  it('lists each header once, and Idempotency-Key as optional where routes honour it', () => {
    const document = JSON.parse(committed);
    for (const { at, operation } of operations(document)) {
      const headers = (operation.parameters ?? [])
        .filter((parameter) => parameter.in === 'header')
        .map((parameter) => parameter.name.toLowerCase());
      expect({ at, headers }).toEqual({ at, headers: [...new Set(headers)] });
    }
    for (const at of IDEMPOTENT) {
      const [method, path] = at.split(' ');
      const headers = document.paths[path][method].parameters.filter(
        (parameter: Parameter) => parameter.in === 'header',
      );
      expect(headers).toEqual([
        expect.objectContaining({ name: 'Idempotency-Key', required: false }),
      ]);
    }
  });

  it('documents 402 with the quota members on every metered route', () => {
    const document = JSON.parse(committed);
    for (const at of METERED) {
      const [method, path] = at.split(' ');
      const answer = document.paths[path][method].responses['402'];
      expect({ at, schema: answer?.content['application/problem+json'].schema }).toEqual({
        at,
        schema: {
          allOf: [
            { $ref: '#/components/schemas/ProblemDetails' },
            { $ref: '#/components/schemas/QuotaExceeded' },
          ],
        },
      });
    }
    expect(document.components.schemas.QuotaExceeded.required).toEqual(['meter', 'limit', 'used']);
  });

  it('types every property: nullable strings, numbers and dates are not bare objects', () => {
    const document = JSON.parse(committed);
    const bareObjects = [...schemasIn(document)]
      .filter(
        ([, schema]) =>
          schema.type === 'object' &&
          !['properties', 'additionalProperties', 'allOf', 'oneOf', 'anyOf'].some(
            (key) => key in schema,
          ),
      )
      .map(([at]) => at);
    expect(bareObjects).toEqual([]);
    expect(document.components.schemas.JobDto.properties.projectId).toEqual({
      type: 'string',
      format: 'uuid',
      nullable: true,
    });
  });

  it('lists the nullable fields of answers as required: they are sent, maybe as null', () => {
    const { schemas } = JSON.parse(committed).components;
    for (const name of ALWAYS_SENT_NULLABLES) {
      const properties = Object.entries<{ nullable?: boolean }>(schemas[name].properties);
      const nullable = properties.filter(([, schema]) => schema.nullable).map(([key]) => key);
      expect(nullable.length).toBeGreaterThan(0);
      expect({ name, required: schemas[name].required }).toEqual({
        name,
        required: expect.arrayContaining(nullable),
      });
    }
    expect(schemas.MediaDto.required).not.toContain('durationSec');
  });

  it('types counts, sizes and positions as integers, not numbers', () => {
    const fractional = [...schemasIn(JSON.parse(committed))].flatMap(([at, schema]) =>
      Object.entries((schema.properties ?? {}) as Record<string, { type?: string }>)
        .filter(([key, property]) => WHOLE_NUMBER.test(key) && property.type === 'number')
        .map(([key]) => `${at}/properties/${key}`),
    );
    expect(fractional).toEqual([]);
  });

  it('types every field and query parameter the validation holds to whole numbers as integer', () => {
    const document = JSON.parse(committed);
    const queryParameters = operations(document).flatMap(({ operation }) =>
      (operation.parameters ?? []).filter((parameter) => parameter.in === 'query'),
    );
    const documented = integerRules().flatMap(({ dto, property }) => {
      const schema = document.components.schemas[dto]?.properties?.[property];
      const types = schema
        ? [schema.type]
        : queryParameters.filter((p) => p.name === property).map((p) => p.schema?.type);
      return types.map((type) => ({ at: `${dto}.${property}`, type }));
    });
    // Request bodies and queries alike: jobs, credits, plans, collections, searches, pages.
    expect(documented.length).toBeGreaterThan(15);
    expect(documented.filter(({ type }) => type !== 'integer')).toEqual([]);
  });

  it('documents a streamed reply as its own 200 text/event-stream answer', () => {
    const { responses } = JSON.parse(committed).paths['/api/v1/conversations/{id}/messages'].post;
    expect(Object.keys(responses['201'].content)).toEqual(['application/json']);
    expect(Object.keys(responses['200'].content)).toEqual(['text/event-stream']);
  });

  it('gives every 2xx JSON answer a typed schema; only bodiless 202/204 and non-JSON have none', () => {
    const untyped = operations(JSON.parse(committed)).flatMap(({ at, operation }) =>
      Object.entries(operation.responses)
        .filter(([status]) => status.startsWith('2'))
        .filter(([status, answer]) => {
          if (isTyped(answer.content?.['application/json']?.schema)) return false;
          return !(['202', '204'].includes(status) && !answer.content);
        })
        .map(([status]) => `${at} ${status}`),
    );
    expect(untyped.sort()).toEqual([...NOT_JSON].sort());
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
