import { FILTER_LIMITS } from './filter';
import { FilterError } from './filter-error';
import { parseFilter } from './parse-filter';

function parseError(input: unknown): FilterError {
  try {
    parseFilter(input);
  } catch (error) {
    if (error instanceof FilterError) return error;
    throw error;
  }
  throw new Error('parseFilter accepted the filter');
}

function nested(depth: number): unknown {
  let filter: unknown = { year: 2020 };
  for (let level = 1; level < depth; level++) filter = { $and: [filter] };
  return filter;
}

describe('parseFilter', () => {
  it('reads {key: value} as equality', () => {
    expect(parseFilter({ genre: 'jazz' })).toEqual({ op: '$eq', key: 'genre', value: 'jazz' });
    expect(parseFilter({ live: false })).toEqual({ op: '$eq', key: 'live', value: false });
  });

  it('reads every key operator', () => {
    expect(parseFilter({ a: { $eq: 1 } })).toEqual({ op: '$eq', key: 'a', value: 1 });
    expect(parseFilter({ a: { $ne: 'x' } })).toEqual({ op: '$ne', key: 'a', value: 'x' });
    for (const op of ['$gt', '$gte', '$lt', '$lte']) {
      expect(parseFilter({ a: { [op]: 2.5 } })).toEqual({ op, key: 'a', value: 2.5 });
      expect(parseFilter({ a: { [op]: '2024-01' } })).toEqual({ op, key: 'a', value: '2024-01' });
    }
    expect(parseFilter({ a: { $in: [1, 'x', true] } })).toEqual({
      op: '$in',
      key: 'a',
      values: [1, 'x', true],
    });
    expect(parseFilter({ a: { $nin: ['x'] } })).toEqual({ op: '$nin', key: 'a', values: ['x'] });
  });

  it('reads nested $and and $or', () => {
    expect(parseFilter({ $or: [{ a: 1 }, { $and: [{ b: { $gt: 2 } }, { c: 'x' }] }] })).toEqual({
      op: '$or',
      clauses: [
        { op: '$eq', key: 'a', value: 1 },
        {
          op: '$and',
          clauses: [
            { op: '$gt', key: 'b', value: 2 },
            { op: '$eq', key: 'c', value: 'x' },
          ],
        },
      ],
    });
  });

  it('reads several entries, or several operators on a key, as all of them', () => {
    expect(parseFilter({ a: 1, b: { $gte: 2, $lt: 5 } })).toEqual({
      op: '$and',
      clauses: [
        { op: '$eq', key: 'a', value: 1 },
        {
          op: '$and',
          clauses: [
            { op: '$gte', key: 'b', value: 2 },
            { op: '$lt', key: 'b', value: 5 },
          ],
        },
      ],
    });
  });

  it('takes keys literally, dots and quotes included', () => {
    expect(parseFilter({ "a.b'c": 1 })).toEqual({ op: '$eq', key: "a.b'c", value: 1 });
  });

  it.each([
    ['a non-object filter', 'year', 'filter', 'must be an object'],
    ['null', null, 'filter', 'must be an object'],
    ['an array where an object belongs', [{ a: 1 }], 'filter', 'must be an object'],
    ['an empty filter', {}, 'filter', 'must not be empty'],
    ['an empty $and', { $and: [] }, 'filter.$and', 'non-empty array'],
    ['an $or that is not an array', { $or: { a: 1 } }, 'filter.$or', 'non-empty array'],
    ['an array inside $and', { $and: [[{ a: 1 }]] }, 'filter.$and.0', 'must be an object'],
    ['an unknown top-level operator', { $not: { a: 1 } }, 'filter.$not', 'not an operator'],
    ['a key operator at the top', { $eq: 1 }, 'filter.$eq', 'not an operator'],
    ['an unknown key operator', { a: { $regex: 'x' } }, 'filter.a.$regex', 'not an operator'],
    ['a nested key', { a: { b: 1 } }, 'filter.a.b', 'not an operator'],
    ['an empty operator object', { a: {} }, 'filter.a', 'must not be empty'],
    ['an empty key', { '': 1 }, 'filter.', 'must not be empty'],
    ['null as a value', { a: null }, 'filter.a', 'string, number or boolean'],
    ['an array as a value', { a: [1, 2] }, 'filter.a', '$in'],
    ['an object as $eq', { a: { $eq: { b: 1 } } }, 'filter.a.$eq', 'string, number or boolean'],
    ['a boolean to compare', { a: { $gt: true } }, 'filter.a.$gt', 'number or a string'],
    ['null to compare', { a: { $lte: null } }, 'filter.a.$lte', 'number or a string'],
    ['an infinite number', { a: { $lt: Infinity } }, 'filter.a.$lt', 'number or a string'],
    ['NaN', { a: NaN }, 'filter.a', 'string, number or boolean'],
    ['$in without a list', { a: { $in: 'x' } }, 'filter.a.$in', 'non-empty array'],
    ['an empty $nin', { a: { $nin: [] } }, 'filter.a.$nin', 'non-empty array'],
    ['an object in $in', { a: { $in: [1, { b: 2 }] } }, 'filter.a.$in.1', 'string, number'],
    ['a NUL in a value', { a: 'x\u0000y' }, 'filter.a', 'NUL'],
    ['half a surrogate pair in a key', { ['a\ud800']: 1 }, 'filter.a\ud800', 'broken Unicode'],
  ])('rejects %s, saying where', (_case, input, path, reason) => {
    const error = parseError(input);
    expect(error.path).toBe(path);
    expect(error.reason).toContain(reason);
    expect(error.message).toBe(`${path}: ${error.reason}`);
  });

  it('names the place deep inside the filter', () => {
    const error = parseError({ $and: [{ a: 1 }, { year: { $gt: 'x', $lt: false } }] });
    expect(error.path).toBe('filter.$and.1.year.$lt');
  });

  it(`accepts ${FILTER_LIMITS.maxDepth} levels of nesting and rejects more`, () => {
    expect(() => parseFilter(nested(FILTER_LIMITS.maxDepth))).not.toThrow();
    const error = parseError(nested(FILTER_LIMITS.maxDepth + 1));
    expect(error.reason).toContain('deeper than 10');
    expect(error.path).toBe(`filter${'.$and.0'.repeat(FILTER_LIMITS.maxDepth)}`);
  });

  it(`accepts ${FILTER_LIMITS.maxConditions} conditions and rejects more`, () => {
    const conditions = (count: number) =>
      Array.from({ length: count }, (_, i) => ({ [`k${i}`]: i }));
    expect(() => parseFilter({ $or: conditions(FILTER_LIMITS.maxConditions) })).not.toThrow();
    const error = parseError({ $or: conditions(FILTER_LIMITS.maxConditions + 1) });
    expect(error.path).toBe('filter.$or.100.k100');
    expect(error.reason).toContain('more than 100 conditions');
  });

  it('limits the values of one list', () => {
    const values = Array.from({ length: FILTER_LIMITS.maxListValues + 1 }, (_, i) => i);
    expect(parseError({ a: { $in: values } }).reason).toContain('at most 1000');
  });

  it('starts paths at the name it is given', () => {
    expect(() => parseFilter({}, 'where')).toThrow('where: must not be empty');
  });
});
