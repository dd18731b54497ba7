import { isDeepStrictEqual } from 'node:util';
import { callApi, newAccount, register } from '../lib/kiln-api.mjs';

const PATH = '/api/v1/auth/me';
const GOAL = 0.6;

/**
 * The typical authenticated read: verify the access token, load the user, answer it. The
 * baseline does that with Fastify, pg and jsonwebtoken alone, on Kiln's own database, so the gap
 * is what Kiln's pipeline (guards, passport, TypeORM, rate limiting, logging...) costs.
 */
export default {
  name: 'auth-me',
  description: `GET ${PATH}: Kiln against bare Fastify + pg + jsonwebtoken`,
  async run(context) {
    const { accessToken } = await register(context.kilnUrl, newAccount('me'));
    const bare = await context.startBareServer('bare-auth.mjs');

    // Both must give the same answer, or the comparison means nothing.
    const fromKiln = await callApi(context.kilnUrl, 'GET', '/auth/me', { token: accessToken });
    const fromBare = await callApi(bare.url, 'GET', '/auth/me', { token: accessToken });
    if (!isDeepStrictEqual(fromBare, fromKiln)) {
      throw new Error(
        `bare-auth answers ${JSON.stringify(fromBare)}, Kiln ${JSON.stringify(fromKiln)}`,
      );
    }

    const request = { headers: { authorization: `Bearer ${accessToken}` } };
    const baseline = await context.measure('bare-auth', { ...request, url: `${bare.url}${PATH}` });
    const kiln = await context.measure('kiln', { ...request, url: `${context.kilnUrl}${PATH}` });
    return [
      context.row('kiln', kiln, baseline, { goal: GOAL }),
      context.row('bare-auth', baseline, baseline),
    ];
  },
};
