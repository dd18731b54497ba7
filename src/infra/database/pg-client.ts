import { createHash } from 'node:crypto';
import type { PoolClient, QueryResultRow } from 'pg';
import { EntityManager } from 'typeorm';
import { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner';

/**
 * Runs a named (prepared) statement on the connection of a transaction's EntityManager: for the
 * few hot statements that must run inside a caller's transaction, where TypeORM's query path
 * and an unnamed statement's planning would cost more than the statement itself.
 */
export async function namedQuery<T extends QueryResultRow>(
  manager: EntityManager,
  name: string,
  text: string,
  values: unknown[],
): Promise<T[]> {
  const client = (await (manager.queryRunner as PostgresQueryRunner).connect()) as PoolClient;
  return (await client.query<T>({ name, text, values })).rows;
}

/**
 * A name for a statement built at run time: the same text always gets the same name, and
 * different texts different names. PostgreSQL keeps 63 characters of a name.
 */
export function statementName(prefix: string, text: string): string {
  return `${prefix}:${createHash('sha1').update(text).digest('hex').slice(0, 32)}`;
}
