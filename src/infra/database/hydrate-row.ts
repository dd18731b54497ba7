import { DataSource, EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { pgPool } from './pg-pool';

/**
 * Sets on `entity` the columns of a row that a RETURNING clause gave (database column names),
 * converted the way TypeORM converts what it reads itself: for the hot statements written as
 * one round trip that TypeORM's repository methods would make two.
 */
export function hydrateRow<T extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<T>,
  row: Record<string, unknown>,
  entity: T = manager.create(target),
): T {
  const { connection } = manager;
  for (const column of connection.getMetadata(target).columns) {
    if (!(column.databaseName in row)) continue;
    const value = row[column.databaseName];
    column.setEntityValue(entity, connection.driver.prepareHydratedValue(value, column));
  }
  return entity;
}

/** Runs a named (prepared) statement on the pool and returns its rows as entities of `target`. */
export async function namedEntities<T extends ObjectLiteral>(
  dataSource: DataSource,
  target: EntityTarget<T>,
  statement: { name: string; text: string },
  values: unknown[],
): Promise<T[]> {
  const { rows } = await pgPool(dataSource).query<Record<string, unknown>>({
    ...statement,
    values,
  });
  return rows.map((row) => hydrateRow(dataSource.manager, target, row));
}
