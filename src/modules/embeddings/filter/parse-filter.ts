import { Filter, FILTER_LIMITS, FilterValue, RangeOperator } from './filter';
import { FilterError } from './filter-error';

const RANGE_OPERATORS: ReadonlySet<string> = new Set<RangeOperator>(['$gt', '$gte', '$lt', '$lte']);
const KEY_OPERATORS = ['$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$in', '$nin'];
// PostgreSQL's jsonb and text hold neither NUL nor half of a surrogate pair.
const UNSTORABLE = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Validates a metadata filter in the style of Chroma's `where` and answers its parsed form:
 *   {key: value}                                   equality (value: string, number or boolean)
 *   {key: {$eq | $ne | $gt | $gte | $lt | $lte: value}}   $gt.. compare numbers or strings
 *   {key: {$in | $nin: [value, ...]}}
 *   {$and: [filter, ...]}, {$or: [filter, ...]}
 * Several entries in one object, or several operators on one key, must all hold (an implicit
 * $and, as in MongoDB; Chroma would reject them). null is not a value: there is no "is absent"
 * test. Anything else is a FilterError naming the offending place, starting at `path`.
 */
export function parseFilter(input: unknown, path = 'filter'): Filter {
  return parseObject(input, path, 1, { conditions: 0 });
}

interface Budget {
  conditions: number;
}

function parseObject(input: unknown, path: string, depth: number, budget: Budget): Filter {
  if (depth > FILTER_LIMITS.maxDepth) {
    throw new FilterError(path, `nests deeper than ${FILTER_LIMITS.maxDepth} levels`);
  }
  const entries = objectEntries(input, path);
  const clauses = entries.map(([key, value]): Filter => {
    const at = `${path}.${key}`;
    if (key === '$and' || key === '$or') {
      if (!Array.isArray(value) || value.length === 0) {
        throw new FilterError(at, 'must be a non-empty array of filters');
      }
      const nested = value.map((item, i) => parseObject(item, `${at}.${i}`, depth + 1, budget));
      return { op: key, clauses: nested };
    }
    if (key.startsWith('$')) {
      throw new FilterError(at, 'is not an operator here: use $and or $or, or a key without "$"');
    }
    checkStorable(key, at, 'key');
    return parseConditions(key, value, at, budget);
  });
  return clauses.length === 1 ? clauses[0] : { op: '$and', clauses };
}

function parseConditions(key: string, input: unknown, path: string, budget: Budget): Filter {
  if (!isPlainObject(input)) {
    spend(budget, path);
    return { op: '$eq', key, value: parseValue(input, path) };
  }
  const entries = objectEntries(input, path);
  const conditions = entries.map(([op, value]): Filter => {
    const at = `${path}.${op}`;
    spend(budget, at);
    if (op === '$eq' || op === '$ne') return { op, key, value: parseValue(value, at) };
    if (RANGE_OPERATORS.has(op)) {
      if (typeof value !== 'string' && !isFiniteNumber(value)) {
        throw new FilterError(at, 'must be a number or a string');
      }
      if (typeof value === 'string') checkStorable(value, at, 'value');
      return { op: op as RangeOperator, key, value };
    }
    if (op === '$in' || op === '$nin') return { op, key, values: parseList(value, at) };
    throw new FilterError(at, `is not an operator; use one of ${KEY_OPERATORS.join(', ')}`);
  });
  return conditions.length === 1 ? conditions[0] : { op: '$and', clauses: conditions };
}

function parseList(input: unknown, path: string): FilterValue[] {
  if (!Array.isArray(input) || input.length === 0) {
    throw new FilterError(path, 'must be a non-empty array of values');
  }
  if (input.length > FILTER_LIMITS.maxListValues) {
    throw new FilterError(path, `must list at most ${FILTER_LIMITS.maxListValues} values`);
  }
  return input.map((value, i) => parseValue(value, `${path}.${i}`));
}

function parseValue(input: unknown, path: string): FilterValue {
  if (typeof input === 'boolean' || isFiniteNumber(input)) return input;
  if (typeof input === 'string') {
    checkStorable(input, path, 'value');
    return input;
  }
  if (Array.isArray(input)) {
    throw new FilterError(
      path,
      'must be a string, number or boolean; for a list use {"$in": [...]}',
    );
  }
  throw new FilterError(path, 'must be a string, number or boolean');
}

function objectEntries(input: unknown, path: string): [string, unknown][] {
  if (!isPlainObject(input)) throw new FilterError(path, 'must be an object');
  const entries = Object.entries(input);
  if (entries.length === 0) throw new FilterError(path, 'must not be empty');
  return entries;
}

function spend(budget: Budget, path: string): void {
  budget.conditions += 1;
  if (budget.conditions > FILTER_LIMITS.maxConditions) {
    throw new FilterError(
      path,
      `the filter has more than ${FILTER_LIMITS.maxConditions} conditions`,
    );
  }
}

function checkStorable(text: string, path: string, what: 'key' | 'value'): void {
  if (what === 'key' && text.length === 0) throw new FilterError(path, 'a key must not be empty');
  if (UNSTORABLE.test(text)) {
    throw new FilterError(path, `the ${what} holds a NUL character or broken Unicode`);
  }
}

function isPlainObject(input: unknown): input is Record<string, unknown> {
  return typeof input === 'object' && input !== null && !Array.isArray(input);
}

function isFiniteNumber(input: unknown): input is number {
  return typeof input === 'number' && Number.isFinite(input);
}
