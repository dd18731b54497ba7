import fc from 'fast-check';

/**
 * The values malformed requests are made of. Each list is what a careless or hostile client sends
 * in that place; fast-check picks among them and among random ones.
 */

/** Strings that upset parsers, databases and string handling. */
export const ODD_STRINGS: readonly string[] = [
  '',
  ' ',
  '\t\r\n',
  'a\u0000b',
  '\u0000',
  '\ud800',
  'x\udc00y',
  '\u202Eevil\u202C',
  'مرحبا بالعالم',
  '\u200B',
  '\uFEFFbom',
  'a\u200Db',
  '👩‍👩‍👧‍👦',
  '🔥'.repeat(300),
  'Z̴̡̪͖̓͊a̸l̶g̷o̴',
  '../../etc/passwd',
  '%00',
  '%',
  '%zz',
  '"',
  "'; DROP TABLE users; --",
  '<script>alert(1)</script>',
  '${jndi:ldap://x}',
  '__proto__',
  'constructor',
  'null',
  'undefined',
  'NaN',
  'Infinity',
  '-0',
  '1e309',
  '0x10',
  '  42  ',
  'true',
  '[]',
  '{}',
  'kiln_',
  '\r\nX-Injected: 1',
];

/** Strings long enough to pass any sane limit, built once (fast-check need not shrink them). */
export const LONG_STRINGS: readonly string[] = [
  'a'.repeat(201),
  'a'.repeat(256),
  'b'.repeat(1_025),
  'c'.repeat(8_001),
  'd'.repeat(100_000),
  'é'.repeat(70_000),
];

/** Nearly-UUIDs and UUIDs nobody has. */
export const BAD_UUIDS: readonly string[] = [
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz',
  '3fa85f6457174562b3fc2c963f66afa6',
  '{3fa85f64-5717-4562-b3fc-2c963f66afa6}',
  '3fa85f64-5717-4562-b3fc-2c963f66afa6x',
  '3FA85F64-5717-4562-B3FC-2C963F66AFA6',
  '3fa85f64-5717-4562-b3fc',
  '1',
  '-1',
];

/** Message-history cursors and page numbers that are not ones the API gave. */
export const BAD_CURSORS: readonly string[] = [
  '0',
  '-1',
  '1.5',
  '9223372036854775807',
  '9223372036854775808',
  '99999999999999999999',
  '1e3',
  'abc',
  'eyJzZXEiOjF9',
];

export const BAD_DATES: readonly string[] = [
  '2024-13-45T00:00:00Z',
  '0000-01-01T00:00:00Z',
  '1970-01-01',
  '9999-12-31T23:59:59Z',
  '+275760-09-13T00:00:00.001Z',
  '-271821-04-20T00:00:00.000Z',
  '2000-01-01T00:00:00+25:00',
  'yesterday',
];

export const BAD_EMAILS: readonly string[] = [
  'a@b',
  '@',
  'plainaddress',
  `${'a'.repeat(320)}@example.com`,
  'ADA@EXAMPLE.COM',
  'ada@exämple.com',
  'ada@example.com\u0000',
];

export const BAD_URLS: readonly string[] = [
  'http://127.0.0.1/hook',
  'http://[::1]/hook',
  'http://169.254.169.254/latest/meta-data',
  'http://user:pw@example.com/hook',
  'javascript:alert(1)',
  'ftp://example.com/x',
  'https://',
  `https://${'a'.repeat(3_000)}.com/`,
  'https://exa mple.com',
];

/** Numbers no field means: negative, fractional, past 32 and 64 bits, the edges of a double. */
export const ODD_NUMBERS: readonly number[] = [
  -1,
  0,
  -0,
  0.5,
  1.5,
  -1e308,
  1e308,
  2 ** 31,
  2 ** 53 + 2,
  2 ** 63,
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  1e-7,
];

/**
 * JSON number literals that JSON.stringify cannot write: JSON.parse turns 1e999 into Infinity
 * and the long ones lose precision. Written into the body text as they are (see RawJson).
 */
export const RAW_NUMBER_LITERALS: readonly string[] = [
  '1e999',
  '-1e999',
  '123456789012345678901234567890',
  '0.0000000000000000000000000000001',
  '-0.0',
];

/** A JSON literal to write into a body as is. */
export class RawJson {
  constructor(readonly text: string) {}
}

/** The strings that most often get past validation and break a database: tried most. */
export const SHARP_STRINGS: readonly string[] = [
  'a\u0000b',
  'x\udc00y',
  'a'.repeat(256),
  'd'.repeat(100_000),
  '',
];

export const oddString = (): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...SHARP_STRINGS) },
    { weight: 4, arbitrary: fc.constantFrom(...ODD_STRINGS) },
    { weight: 2, arbitrary: fc.constantFrom(...LONG_STRINGS) },
    { weight: 1, arbitrary: fc.constantFrom(...BAD_UUIDS) },
    { weight: 1, arbitrary: fc.constantFrom(...BAD_DATES) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  );

export const oddNumber = (): fc.Arbitrary<number | RawJson> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...ODD_NUMBERS) },
    { weight: 1, arbitrary: fc.constantFrom(...RAW_NUMBER_LITERALS).map((t) => new RawJson(t)) },
    { weight: 2, arbitrary: fc.integer() },
    { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
  );

/** Arrays that are empty, huge, nested or full of the wrong things. */
export const oddArray = (): fc.Arbitrary<unknown[]> =>
  fc.oneof(
    fc.constant<unknown[]>([]),
    fc.constant<unknown[]>([null]),
    fc.constant<unknown[]>(Array.from({ length: 10_000 }, (_, i) => `item-${i}`)),
    fc.constant<unknown[]>([[[[[]]]]]),
    fc.array<unknown>(fc.oneof(oddString(), oddNumber(), fc.constant(null), fc.boolean()), {
      maxLength: 5,
    }),
  );

/** Objects in places that want something else, including prototype-polluting keys. */
export const oddObject = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    fc.constant({}),
    fc.constant({ constructor: { prototype: { polluted: true } } }),
    fc.constant(new RawJson('{"__proto__":{"polluted":true}}')),
    fc.constant(new RawJson('{"a":1,"a":2}')),
    fc.dictionary(oddString(), fc.oneof(oddString(), oddNumber(), fc.constant(null)), {
      maxKeys: 3,
    }),
  );

/** A value of any JSON type (or a raw literal): what a field of the wrong type receives. */
export const anyOddValue = (): fc.Arbitrary<unknown> =>
  fc.oneof(oddString(), oddNumber(), fc.boolean(), fc.constant(null), oddArray(), oddObject());

/** Deeply nested JSON, written as text (JSON.stringify would not mind; parsers might). */
export function deeplyNested(depth: number): RawJson {
  return new RawJson(`${'{"a":['.repeat(depth)}1${']}'.repeat(depth)}`);
}
