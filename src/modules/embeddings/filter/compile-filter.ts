import { Filter, FilterValue, RangeOperator } from './filter';

// The column is named by Kiln's own code, never by a client; this only catches a slip.
const COLUMN = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/;

const SQL_OPERATOR: Record<RangeOperator, string> = { $gt: '>', $gte: '>=', $lt: '<', $lte: '<=' };

/**
 * Turns `filter` into a PostgreSQL boolean expression over `column`, a `jsonb NOT NULL`
 * column of metadata objects, with the same meaning as matchesFilter (see there). Keys and
 * values never enter the SQL text: each is appended to `params` and named by its position
 * ($n), so that the caller can put its own parameters first.
 *   - $eq and $in are jsonb containment (metadata @> '{"key": value}'), which a GIN index on
 *     the column can serve, and which, for a scalar, holds exactly when the stored value has
 *     the same type and is equal (numbers by value); $ne and $nin are their negations, true
 *     when the key is absent.
 *   - $gt.. first check the stored value's JSON type, in a CASE so that nothing is cast before
 *     the check: numbers compare as jsonb numbers, strings as text in the "C" collation (code
 *     point order, as matchesFilter; the database's own collation would depend on its locale).
 */
export function compileFilter(filter: Filter, column: string, params: unknown[]): string {
  if (!COLUMN.test(column)) throw new Error(`compileFilter: "${column}" is not a column name`);
  const param = (value: unknown) => `$${params.push(value)}`;
  const contains = (key: string, value: FilterValue) =>
    `${column} @> ${param(JSON.stringify({ [key]: value }))}::jsonb`;
  const containsAny = (key: string, values: FilterValue[]) =>
    `${column} @> ANY(${param(values.map((value) => JSON.stringify({ [key]: value })))}::jsonb[])`;

  const compile = (node: Filter): string => {
    switch (node.op) {
      case '$and':
      case '$or':
        return `(${node.clauses.map(compile).join(node.op === '$and' ? ' AND ' : ' OR ')})`;
      case '$eq':
        return contains(node.key, node.value);
      case '$ne':
        return `NOT (${contains(node.key, node.value)})`;
      case '$in':
        return containsAny(node.key, node.values);
      case '$nin':
        return `NOT (${containsAny(node.key, node.values)})`;
      default: {
        const key = `${param(node.key)}::text`;
        const operator = SQL_OPERATOR[node.op];
        return typeof node.value === 'number'
          ? `(CASE jsonb_typeof(${column} -> ${key}) WHEN 'number' THEN ` +
              `(${column} -> ${key}) ${operator} to_jsonb(${param(node.value)}::numeric) ELSE false END)`
          : `(CASE jsonb_typeof(${column} -> ${key}) WHEN 'string' THEN ` +
              `(${column} ->> ${key}) COLLATE "C" ${operator} ${param(node.value)}::text ELSE false END)`;
      }
    }
  };
  return compile(filter);
}
