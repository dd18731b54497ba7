const PATH = '/api/v1/health/live';

/**
 * The cheapest route Kiln has, so the gap to bare Fastify is the cost of the pipeline itself:
 * Nest routing, helmet, CORS, the request-id and metrics hooks, pino-http.
 */
export default {
  name: 'health-live',
  description: `GET ${PATH}: Kiln against bare Fastify`,
  async run(context) {
    const bare = await context.startBareServer('bare-fastify.mjs');
    const baseline = await context.measure('bare-fastify', { url: `${bare.url}${PATH}` });
    const kiln = await context.measure('kiln', { url: `${context.kilnUrl}${PATH}` });
    return [context.row('kiln', kiln, baseline), context.row('bare-fastify', baseline, baseline)];
  },
};
