import { ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { databaseOptions } from '../../src/infra/database/database-options';
import { runMigrationsLocked } from '../../src/infra/database/run-migrations';

/**
 * PGlite is one PostgreSQL session, so Kiln talks to it through a pool of ONE connection: two
 * pool connections would share that session's transaction and named prepared statements. The
 * socket server admits one more connection, for the advisory lock that guards migrations
 * (src/infra/database/run-migrations.ts), which only locks before they run and unlocks after.
 */
const POOL_SIZE = 1;
const MAX_CONNECTIONS = POOL_SIZE + 1;
const START_TIMEOUT_MS = 60_000;

export interface PgliteDatabase {
  /** A postgres:// URL for the ordinary pg driver. */
  url: string;
  /** What a test app needs to use this database: startTestApp(database.env). */
  env: Record<string, string>;
  close(): Promise<void>;
}

/**
 * PostgreSQL with pgvector, migrated: PGlite with its vector extension, served over TCP on a
 * free port of 127.0.0.1 by @electric-sql/pglite-socket (in a child process, pglite-process.mjs),
 * so Kiln connects with its usual pg driver. It takes several seconds to start: one per test file.
 */
export async function startPgliteDatabase(): Promise<PgliteDatabase> {
  const child = fork(join(__dirname, 'pglite-process.mjs'), [String(MAX_CONNECTIONS)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const close = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  };
  try {
    const url = `postgres://postgres@${await addressOf(child)}/postgres`;
    const dataSource = await new DataSource(
      databaseOptions({ url, poolSize: POOL_SIZE }),
    ).initialize();
    try {
      await runMigrationsLocked(dataSource, url);
    } finally {
      await dataSource.destroy();
    }
    return { url, env: { DATABASE_URL: url, DATABASE_POOL_SIZE: String(POOL_SIZE) }, close };
  } catch (error) {
    await close();
    throw error;
  }
}

function addressOf(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`PGlite did not start within ${START_TIMEOUT_MS} ms`)),
      START_TIMEOUT_MS,
    );
    child.once('message', (message: { address: string }) => {
      clearTimeout(timer);
      resolve(message.address);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`PGlite exited before it listened (code ${code})`));
    });
  });
}
