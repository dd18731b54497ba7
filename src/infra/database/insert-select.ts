import { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { hydrateRow } from './hydrate-row';
import { namedQuery, statementName } from './pg-client';

/**
 * `INSERT INTO <table> (<columns>) SELECT $1, $2…` for the columns `row` sets (the others take
 * their defaults), with the values converted the way TypeORM converts what it writes: for
 * statements that insert only when a condition holds, which INSERT … VALUES cannot say. The
 * caller appends the WHERE and RETURNING clauses.
 */
export function insertSelect<T extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<T>,
  row: T,
): { text: string; values: unknown[] } {
  const { connection } = manager;
  const metadata = connection.getMetadata(target);
  const columns = metadata.columns.filter(
    (column) => column.isInsert && column.getEntityValue(row) !== undefined,
  );
  const names = columns.map((column) => `"${column.databaseName}"`).join(', ');
  const parameters = columns.map((_, i) => `$${i + 1}`).join(', ');
  return {
    text: `INSERT INTO "${metadata.tableName}" (${names}) SELECT ${parameters}`,
    values: columns.map((column) =>
      connection.driver.preparePersistentValue(column.getEntityValue(row), column),
    ),
  };
}

/** Names of the inserts made so far, by their text: a few per entity, hashed once each. */
const insertNames = new Map<string, string>();

/**
 * Inserts `row` in the transaction of `manager` as a named (prepared) statement, for rows
 * written on every job, and sets on it the columns the database generated.
 */
export async function insertNamed<T extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<T>,
  row: T,
): Promise<T> {
  const insert = insertSelect(manager, target, row);
  const text = `${insert.text} RETURNING *`;
  let name = insertNames.get(text);
  if (!name) {
    name = statementName('insert', text);
    insertNames.set(text, name);
  }
  const [inserted] = await namedQuery(manager, name, text, insert.values);
  return hydrateRow(manager, target, inserted, row);
}
