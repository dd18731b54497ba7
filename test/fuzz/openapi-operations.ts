import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The part of JSON Schema (as @nestjs/swagger writes it) the generators understand. */
export interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  nullable?: boolean;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  oneOf?: Schema[];
  anyOf?: Schema[];
  allOf?: Schema[];
  example?: unknown;
  default?: unknown;
}

export interface Parameter {
  name: string;
  schema: Schema;
  required: boolean;
}

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** One operation of the OpenAPI document, with every $ref resolved. */
export interface Operation {
  /** `METHOD path`, as the authorization matrix spells it. */
  key: string;
  method: HttpMethod;
  /** The path template, with `{name}` parameters. */
  path: string;
  /** No security requirement: the route answers anonymous callers. */
  isPublic: boolean;
  /** Every `{name}` of the template, documented or not (some routes do not declare theirs). */
  pathParams: Parameter[];
  queryParams: Parameter[];
  /** Documents an Idempotency-Key header. */
  takesIdempotencyKey: boolean;
  body?: { contentType: string; schema: Schema };
  /** The 2xx statuses the document lists: the only successes the fuzz accepts. */
  successStatuses: number[];
  /** The content types of its 2xx answers (text/event-stream marks a stream). */
  produces: string[];
}

const METHODS: HttpMethod[] = ['get', 'post', 'put', 'patch', 'delete'];

interface RawParameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: Schema;
}

interface RawOperation {
  parameters?: RawParameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { content?: Record<string, unknown> }>;
  security?: unknown[];
}

interface Document {
  paths: Record<string, Partial<Record<HttpMethod, RawOperation>>>;
  components?: { schemas?: Record<string, Schema> };
  security?: unknown[];
}

/** Replaces every local $ref with the schema it names (the document has no cycles). */
function resolve(schema: Schema, schemas: Record<string, Schema>, depth = 0): Schema {
  if (depth > 32) throw new Error('openapi.json: $ref nesting too deep (a cycle?)');
  if (schema.$ref) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    const target = schemas[name];
    if (!target) throw new Error(`openapi.json: unknown $ref ${schema.$ref}`);
    return resolve(target, schemas, depth + 1);
  }
  const out: Schema = { ...schema };
  const each = (list?: Schema[]) => list?.map((s) => resolve(s, schemas, depth + 1));
  if (schema.properties) {
    out.properties = Object.fromEntries(
      Object.entries(schema.properties).map(([k, v]) => [k, resolve(v, schemas, depth + 1)]),
    );
  }
  if (schema.items) out.items = resolve(schema.items, schemas, depth + 1);
  if (typeof schema.additionalProperties === 'object') {
    out.additionalProperties = resolve(schema.additionalProperties, schemas, depth + 1);
  }
  out.oneOf = each(schema.oneOf);
  out.anyOf = each(schema.anyOf);
  out.allOf = each(schema.allOf);
  return out;
}

/**
 * Reads the committed openapi.json at test time (other routes arrive while this suite exists),
 * so every operation it documents is fuzzed without a list to keep up to date.
 */
export function loadOperations(file = join(__dirname, '..', '..', 'openapi.json')): Operation[] {
  const document = JSON.parse(readFileSync(file, 'utf8')) as Document;
  const schemas = document.components?.schemas ?? {};
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const raw = item[method];
      if (!raw) continue;
      const parameters = raw.parameters ?? [];
      const param = (p: RawParameter): Parameter => ({
        name: p.name,
        schema: resolve(p.schema ?? { type: 'string' }, schemas),
        required: p.required ?? false,
      });
      const templateNames = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const pathParams = templateNames.map((name) => {
        const documented = parameters.find((p) => p.in === 'path' && p.name === name);
        return documented
          ? param(documented)
          : { name, schema: { type: 'string' }, required: true };
      });
      const [contentType, media] = Object.entries(raw.requestBody?.content ?? {})[0] ?? [];
      const successes = Object.entries(raw.responses ?? {}).filter(([code]) =>
        /^2\d\d$/.test(code),
      );
      const security = raw.security ?? document.security ?? [];
      operations.push({
        key: `${method.toUpperCase()} ${path}`,
        method,
        path,
        isPublic: security.length === 0,
        pathParams,
        queryParams: parameters.filter((p) => p.in === 'query').map(param),
        takesIdempotencyKey: parameters.some(
          (p) => p.in === 'header' && p.name.toLowerCase() === 'idempotency-key',
        ),
        body:
          contentType && media
            ? { contentType, schema: resolve(media.schema ?? {}, schemas) }
            : undefined,
        successStatuses: successes.map(([code]) => Number(code)),
        produces: [...new Set(successes.flatMap(([, r]) => Object.keys(r.content ?? {})))],
      });
    }
  }
  return operations;
}
