import fc from 'fast-check';
import { FixtureKind, fixtureRef } from './fuzz-request';
import { Schema } from './openapi-operations';

/** Which fixture a uuid field names, by the field's name. */
const FIXTURE_OF_FIELD: Record<string, FixtureKind> = {
  projectId: 'project',
  collectionId: 'collection',
  conversationId: 'conversation',
  jobId: 'job',
  webhookId: 'webhook',
  inputs: 'media',
  mediaId: 'media',
  ownerId: 'user',
  actorId: 'user',
  userId: 'user',
};

/** A public address, so webhook registration does not refuse it for being private. */
const PUBLIC_URL = 'https://93.184.215.14/kiln-fuzz';

/** Generated strings stay short: the hostile lengths come from the mutations. */
const MAX_GENERATED_LENGTH = 24;

/** Nest's swagger plugin writes `string | null` as `type: object` with string limits. */
function isMistypedString(schema: Schema): boolean {
  return (
    schema.type === 'object' &&
    !schema.properties &&
    (schema.maxLength !== undefined || schema.minLength !== undefined)
  );
}

function uuidValue(field: string): fc.Arbitrary<string> {
  const kind = FIXTURE_OF_FIELD[field];
  return kind
    ? fc.oneof({ weight: 3, arbitrary: fc.constant(fixtureRef(kind)) }, fc.uuid())
    : fc.uuid();
}

function stringValue(schema: Schema, field: string): fc.Arbitrary<string> {
  if (schema.format === 'uuid') return uuidValue(field);
  if (schema.format === 'date-time') {
    return fc
      .date({ min: new Date('2030-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
      .map((d) => d.toISOString());
  }
  if (/email/i.test(field)) return fc.emailAddress();
  if (/url/i.test(field)) return fc.constant(PUBLIC_URL);
  const minLength = schema.minLength ?? 0;
  const maxLength = Math.max(minLength, Math.min(schema.maxLength ?? 200, MAX_GENERATED_LENGTH));
  const text = fc.string({ minLength, maxLength });
  return typeof schema.example === 'string' ? fc.oneof(fc.constant(schema.example), text) : text;
}

function numberValue(schema: Schema): fc.Arbitrary<number> {
  const min = schema.minimum ?? 0;
  return fc.integer({ min: Math.ceil(min), max: Math.floor(schema.maximum ?? min + 1000) });
}

function objectValue(schema: Schema): fc.Arbitrary<unknown> {
  if (schema.properties) {
    const model = Object.fromEntries(
      Object.entries(schema.properties).map(([name, property]) => [
        name,
        validValue(property, name),
      ]),
    );
    return fc.record(model, { requiredKeys: schema.required ?? [] });
  }
  const scalar = fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.boolean());
  return fc.dictionary(fc.string({ minLength: 1, maxLength: 10 }), scalar, { maxKeys: 3 });
}

/**
 * A value the schema allows (as far as the document tells: some rules, like which params go with
 * which job type, live only in the code). Mutations then break it.
 */
export function validValue(schema: Schema, field = ''): fc.Arbitrary<unknown> {
  const value = nonNullValue(schema, field);
  return schema.nullable ? fc.oneof({ weight: 4, arbitrary: value }, fc.constant(null)) : value;
}

function nonNullValue(schema: Schema, field: string): fc.Arbitrary<unknown> {
  if (schema.allOf?.length) {
    const { allOf, ...rest } = schema;
    return nonNullValue(Object.assign({}, ...allOf, rest) as Schema, field);
  }
  const alternatives = schema.oneOf?.length ? schema.oneOf : schema.anyOf;
  if (alternatives?.length) return fc.oneof(...alternatives.map((s) => validValue(s, field)));
  if (schema.enum?.length) return fc.constantFrom(...schema.enum);
  if (isMistypedString(schema)) return stringValue({ ...schema, type: 'string' }, field);
  switch (schema.type) {
    case 'string':
      return stringValue(schema, field);
    case 'number':
    case 'integer':
      return numberValue(schema);
    case 'boolean':
      return fc.boolean();
    case 'array': {
      const items = validValue(schema.items ?? { type: 'string' }, field);
      const constraints = {
        minLength: schema.minItems ?? 0,
        maxLength: Math.max(schema.minItems ?? 0, Math.min(schema.maxItems ?? 3, 3)),
      };
      return schema.uniqueItems
        ? fc.uniqueArray(items, { ...constraints, selector: (v) => JSON.stringify(v) })
        : fc.array(items, constraints);
    }
    default:
      return objectValue(schema);
  }
}
