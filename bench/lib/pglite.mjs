import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/**
 * PostgreSQL with pgvector in the bench process: PGlite (PostgreSQL compiled to WebAssembly) with
 * its vector extension, served over TCP on a free port by @electric-sql/pglite-socket, so that a
 * Kiln process connects with its usual pg driver. PGlite is one session: Kiln must use a pool of
 * one connection (see test/support/pglite-server.ts). `maxConnections` leaves room for the
 * connections Kiln opens briefly at start (the database check, the migration lock). `db` runs
 * queries in this process, through the same session; use it only while Kiln is idle.
 */
export async function startPglite({ maxConnections }) {
  const db = await PGlite.create({ extensions: { vector } });
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections });
  await server.start();
  return {
    db,
    url: `postgres://postgres@${server.getServerConn()}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
