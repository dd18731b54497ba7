// The baseline of auth-me: plain Fastify, a pg pool and jsonwebtoken doing what GET /auth/me does
// in Kiln (verify the HS256 access token, load the user by the token's subject, answer it), with
// no plugins, hooks, logging or ORM. Kiln's overhead on an authenticated route is measured
// against this. Database URL, pool size and secret are Kiln's own (the harness passes them).
import { createSecretKey } from 'node:crypto';
import Fastify from 'fastify';
import jwt from 'jsonwebtoken';
import pg from 'pg';

for (const name of ['DATABASE_URL', 'JWT_SECRET']) {
  if (!process.env[name]) throw new Error(`bare-auth.mjs needs ${name}`);
}

// A KeyObject, as Kiln uses: with a string, jsonwebtoken first tries to parse it as a PEM key.
const secret = createSecretKey(Buffer.from(process.env.JWT_SECRET, 'utf8'));
const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.DATABASE_POOL_SIZE || 10),
});
// Named, so each pooled connection prepares it once and then only executes it.
const userById = {
  name: 'bare-auth-user-by-id',
  text:
    'SELECT id, email, name, role, status, created_at, updated_at FROM users ' +
    'WHERE id = $1 AND deleted_at IS NULL',
};

const app = Fastify({ logger: false });

app.get('/api/v1/auth/me', async (request, reply) => {
  const header = request.headers.authorization;
  const token = header?.startsWith('Bearer ') ? header.slice(7) : null;
  let claims;
  try {
    claims = jwt.verify(token, secret, { algorithms: ['HS256'] });
  } catch {
    claims = null;
  }
  if (typeof claims?.sub !== 'string') {
    return reply.code(401).send({ status: 401, title: 'Unauthorized' });
  }
  const { rows } = await pool.query({ ...userById, values: [claims.sub] });
  if (rows.length === 0) return reply.code(404).send({ status: 404, title: 'Not Found' });
  const user = rows[0];
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    status: user.status,
    createdAt: user.created_at,
    updatedAt: user.updated_at,
  };
});

let closing;
const shutdown = () =>
  (closing ??= app
    .close()
    .then(() => pool.end())
    .then(() => process.exit(0)));
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
// The IPC channel closes when the parent dies, even by SIGKILL: do not linger as an orphan.
process.once('disconnect', shutdown);

await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT ?? 0) });
// The parent forks this file and learns the port over IPC.
process.send?.({ listening: app.server.address().port });
