// PGlite with pgvector behind its socket server, in a process of its own (started by
// pglite-server.ts): PGlite's CommonJS build loads Node's modules with a dynamic import(), which
// jest's module runtime refuses. It reports its address over IPC and stops with its parent.
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

const maxConnections = Number(process.argv[2]);
const db = await PGlite.create({ extensions: { vector } });
const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections });
await server.start();

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await server.stop();
  await db.close();
  process.exit(0);
}
process.on('SIGTERM', stop);
process.on('disconnect', stop);
process.send({ address: server.getServerConn() });
