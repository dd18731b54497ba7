// The baseline: plain Fastify with no plugins, hooks or logging, answering what Kiln's liveness
// probe answers. Kiln's overhead is measured against this.
import Fastify from 'fastify';

const app = Fastify({ logger: false });

app.get('/api/v1/health/live', async () => ({ status: 'ok' }));

let closing;
const shutdown = () => (closing ??= app.close().then(() => process.exit(0)));
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
// The IPC channel closes when the parent dies, even by SIGKILL: do not linger as an orphan.
process.once('disconnect', shutdown);

await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT ?? 0) });
// The parent forks this file and learns the port over IPC.
process.send?.({ listening: app.server.address().port });
