import { Filter, FilterValue, RangeOperator } from './filter';

const RANGE_HOLDS: Record<RangeOperator, (order: number) => boolean> = {
  $gt: (order) => order > 0,
  $gte: (order) => order >= 0,
  $lt: (order) => order < 0,
  $lte: (order) => order <= 0,
};

/**
 * Whether `metadata` satisfies `filter`; the reference for compileFilter's SQL, which must
 * agree with it on every row.
 *   - Equality is strict about type: 2020 does not equal "2020", nor true 1. Numbers compare as
 *     numbers (2020 equals 2020.0). A value that is an array or an object equals no filter value.
 *   - $ne and $nin hold when the key is absent (as in Chroma): "not equal to x" is true of a
 *     document that says nothing about x.
 *   - $gt, $gte, $lt and $lte hold only when the key is present with a value of the filter
 *     value's type: numbers by value, strings by Unicode code point (the same order as
 *     PostgreSQL's "C" collation, so neither depends on a locale).
 */
export function matchesFilter(filter: Filter, metadata: Record<string, unknown>): boolean {
  switch (filter.op) {
    case '$and':
      return filter.clauses.every((clause) => matchesFilter(clause, metadata));
    case '$or':
      return filter.clauses.some((clause) => matchesFilter(clause, metadata));
    // === is the strict equality wanted: same type, and numbers by value.
    case '$eq':
      return valueOf(metadata, filter.key) === filter.value;
    case '$ne':
      return valueOf(metadata, filter.key) !== filter.value;
    case '$in':
      return filter.values.includes(valueOf(metadata, filter.key) as FilterValue);
    case '$nin':
      return !filter.values.includes(valueOf(metadata, filter.key) as FilterValue);
    default: {
      const actual = valueOf(metadata, filter.key);
      const expected = filter.value;
      if (typeof actual === 'number' && typeof expected === 'number') {
        return RANGE_HOLDS[filter.op](actual > expected ? 1 : actual < expected ? -1 : 0);
      }
      if (typeof actual === 'string' && typeof expected === 'string') {
        return RANGE_HOLDS[filter.op](compareCodePoints(actual, expected));
      }
      return false;
    }
  }
}

function valueOf(metadata: Record<string, unknown>, key: string): unknown {
  // Only the document's own keys: "constructor" or "toString" are not in every document.
  return Object.hasOwn(metadata, key) ? metadata[key] : undefined;
}

/**
 * Orders strings by code point. JavaScript's < compares UTF-16 code units, which puts
 * characters beyond U+FFFF (surrogate pairs) before U+E000..U+FFFF; moving the surrogates up
 * past that range gives code point order without decoding.
 */
function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

function codePointRank(codeUnit: number): number {
  if (codeUnit < 0xd800) return codeUnit;
  return codeUnit < 0xe000 ? codeUnit + 0x2000 : codeUnit - 0x800;
}
