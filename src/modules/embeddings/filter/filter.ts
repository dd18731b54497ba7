/**
 * A parsed metadata filter (see parse-filter.ts for the JSON form clients send). Keys are
 * top-level metadata keys, taken literally: "a.b" is the key "a.b", not a path.
 */
export type Filter =
  | { op: '$and' | '$or'; clauses: Filter[] }
  | { op: '$eq' | '$ne'; key: string; value: FilterValue }
  | { op: RangeOperator; key: string; value: number | string }
  | { op: '$in' | '$nin'; key: string; values: FilterValue[] };

export type FilterValue = string | number | boolean;

export type RangeOperator = '$gt' | '$gte' | '$lt' | '$lte';

/** Limits that keep a filter's SQL small and its parsing cheap, whatever a client sends. */
export const FILTER_LIMITS = {
  /** Objects nested inside one another through $and / $or, the outermost counting as 1. */
  maxDepth: 10,
  /** Conditions on keys in the whole filter; {year: {$gt: 1, $lt: 9}} counts 2. */
  maxConditions: 100,
  /** Values in one $in or $nin list. */
  maxListValues: 1000,
} as const;
