import { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

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
