import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { newAccount, register, requestApi, uploadFile } from '../lib/kiln-api.mjs';
import { sampleVideo } from '../lib/media.mjs';
import { readRss } from '../lib/rss.mjs';
import { megabytes, percentile } from '../lib/stats.mjs';

// A simulated user waits this long between two requests (think time), so the mix, not one
// route, sets the pace, and logins (bcrypt) stay a small share of the CPU.
const THINK_MS = 40;
const RSS_SAMPLE_MS = 5000;
// Tokens are refreshed this long before the access token expires.
const REFRESH_MARGIN_MS = 60_000;
// Kiln's RSS at the end may exceed that at the start by this much before the row reads "over goal".
const RSS_GROWTH_CEILING_MB = 50;
const DOCUMENTS_PER_USER = 20;

const WORDS = (
  'kiln render frame codec audio video queue worker webhook embedding vector search chunk ' +
  'project media thumbnail montage transcode prompt answer passage citation token budget ' +
  'invoice plan quota credit period stream delta cursor message conversation collection'
).split(' ');

function sentence(seed, length) {
  return Array.from({ length }, (_, i) => WORDS[(seed * 7 + i * 13) % WORDS.length]).join(' ');
}

/** What one simulated user does, and how often, relative to the other actions. */
const ACTIONS = [
  { route: 'GET /auth/me', weight: 20, run: (u, api) => api('GET', '/auth/me') },
  { route: 'GET /projects', weight: 10, run: (u, api) => api('GET', '/projects?limit=20') },
  { route: 'GET /media/:id', weight: 10, run: (u, api) => api('GET', `/media/${u.mediaId}`) },
  { route: 'GET /jobs', weight: 8, run: (u, api) => api('GET', '/jobs?limit=20') },
  {
    route: 'POST /embeddings/collections/:id/search',
    weight: 15,
    run: (u, api, i) =>
      api('POST', `/embeddings/collections/${u.collectionId}/search`, {
        query: sentence(i, 6),
        topK: 5,
      }),
  },
  {
    route: 'POST /conversations/:id/messages',
    weight: 10,
    run: (u, api, i) =>
      api('POST', `/conversations/${u.conversationId}/messages`, { content: sentence(i, 12) }),
  },
  {
    route: 'GET /conversations/:id/messages',
    weight: 5,
    run: (u, api) => api('GET', `/conversations/${u.conversationId}/messages?limit=20`),
  },
  {
    route: 'POST /jobs',
    weight: 5,
    run: (u, api, i) =>
      api('POST', '/jobs', {
        type: 'thumbnail',
        inputs: [u.mediaId],
        params: { atSec: (i % 40) / 10, width: 160 },
      }),
  },
  {
    route: 'POST /projects',
    weight: 3,
    run: (u, api, i) => api('POST', '/projects', { name: `soak ${i}` }),
  },
  {
    route: 'POST /media',
    weight: 2,
    run: async (u, api, i, context) => uploadFile(context.kilnUrl, u.token, u.video),
  },
  {
    route: 'POST /auth/login',
    weight: 1,
    run: async (u, api) => {
      const answer = await api('POST', '/auth/login', {
        email: u.account.email,
        password: u.account.password,
      });
      // As a client does: the new session's tokens are the ones it goes on with.
      if (answer.status === 200) adoptTokens(u, answer.json);
      return answer;
    },
  },
];
const REFRESH_ROUTE = 'POST /auth/refresh';
const TOTAL_WEIGHT = ACTIONS.reduce((sum, action) => sum + action.weight, 0);

function pickAction(random) {
  let left = random * TOTAL_WEIGHT;
  for (const action of ACTIONS) {
    left -= action.weight;
    if (left < 0) return action;
  }
  return ACTIONS[ACTIONS.length - 1];
}

/** A small deterministic generator, so two runs send the same mix in the same order. */
function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Keeps a sign-in's tokens and when its access token expires (`expiresIn` seconds from now). */
function adoptTokens(user, { accessToken, refreshToken, expiresIn }) {
  Object.assign(user, {
    token: accessToken,
    refreshToken,
    tokenExpiresAt: performance.now() + expiresIn * 1000,
  });
}

/**
 * Refreshes the user's tokens shortly before the access token expires, as a client does (a run
 * longer than the token's lifetime would otherwise get only 401s). Timed as a route of its own.
 */
async function keepSignedIn(context, user, stats) {
  if (performance.now() < user.tokenExpiresAt - REFRESH_MARGIN_MS) return;
  const route = (stats[REFRESH_ROUTE] ??= newStats());
  const startedAt = performance.now();
  const answer = await requestApi(context.kilnUrl, 'POST', '/auth/refresh', {
    body: { refreshToken: user.refreshToken },
  });
  route.latenciesMs.push(performance.now() - startedAt);
  if (answer.status !== 200) throw new Error(`POST /auth/refresh answered ${answer.status}`);
  adoptTokens(user, answer.json);
}

/** The paid plan with the most room, so a long run measures the service, not its quotas. */
async function roomiestPlan(kilnUrl, token) {
  const plans = await requestApi(kilnUrl, 'GET', '/billing/plans', { token });
  if (plans.status !== 200) return null;
  const list = Array.isArray(plans.json) ? plans.json : (plans.json?.data ?? []);
  const unlimited = (plan) => Object.values(plan.limits ?? {}).filter((v) => v === null).length;
  return list.sort((a, b) => unlimited(b) - unlimited(a))[0] ?? null;
}

async function setUpUser(context, index, video) {
  const { kilnUrl } = context;
  const account = newAccount(`soak-${index}`);
  const registered = await register(kilnUrl, account);
  const token = registered.accessToken;
  const api = async (method, path, body) => {
    const answer = await requestApi(kilnUrl, method, path, { body, token });
    if (answer.status >= 300) {
      throw new Error(`${method} ${path} answered ${answer.status}: ${answer.text.slice(0, 200)}`);
    }
    return answer.json;
  };
  const plan = await roomiestPlan(kilnUrl, token);
  if (plan) await api('POST', '/billing/subscription', { planId: plan.id });
  const upload = await uploadFile(kilnUrl, token, video);
  if (upload.status !== 201) throw new Error(`POST /media answered ${upload.status}`);
  const collection = await api('POST', '/embeddings/collections', { name: `soak ${index}` });
  await api('POST', `/embeddings/collections/${collection.id}/documents`, {
    documents: Array.from({ length: DOCUMENTS_PER_USER }, (_, i) => ({
      text: `${sentence(index * 100 + i, 40)}. ${sentence(i, 30)}.`,
      metadata: { n: i },
    })),
  });
  const conversation = await api('POST', '/conversations', {
    title: `soak ${index}`,
    collectionId: collection.id,
  });
  const user = {
    account,
    video,
    mediaId: upload.json.id,
    collectionId: collection.id,
    conversationId: conversation.id,
  };
  adoptTokens(user, registered);
  return user;
}

function newStats() {
  return { latenciesMs: [], non2xx: 0, errors: 0, problems: [] };
}

/** One simulated user's loop until `endsAt`: pick an action, send it, think, again. */
async function userLoop(context, user, index, endsAt, stats) {
  const random = seededRandom(index + 1);
  const api = (method, path, body) =>
    requestApi(context.kilnUrl, method, path, { body, token: user.token });
  for (let i = 0; performance.now() < endsAt; i++) {
    const action = pickAction(random());
    const route = (stats[action.route] ??= newStats());
    try {
      await keepSignedIn(context, user, stats);
      const startedAt = performance.now();
      const answer = await action.run(user, api, i, context);
      route.latenciesMs.push(performance.now() - startedAt);
      if (answer.status < 200 || answer.status >= 300) {
        route.non2xx++;
        if (route.problems.length < 3)
          route.problems.push(`${answer.status}: ${answer.text.slice(0, 160)}`);
      }
    } catch (error) {
      route.errors++;
      if (route.problems.length < 3) route.problems.push(error.code ?? error.message);
    }
    await sleep(THINK_MS);
  }
}

/**
 * Several simulated users, each in a closed loop with a short think time, send a mix of
 * logins, reads, uploads, jobs, messages and searches for BENCH_SOAK_SEC (5 minutes by default).
 * One row per route (throughput, p50/p99, errors: the target is none), and Kiln's RSS at the
 * start and the end, sampled throughout, to show whether memory keeps growing.
 */
export default {
  name: 'soak',
  description:
    'mixed traffic from several simulated users for minutes: errors and memory over time',
  async run(context) {
    const { soakSec, soakUsers } = context.settings;
    context.progress(`  setting up ${soakUsers} users (plan, upload, collection, conversation)`);
    const video = await sampleVideo();
    const users = [];
    for (let i = 0; i < soakUsers; i++) users.push(await setUpUser(context, i, video));

    context.progress(`  ${soakUsers} users for ${soakSec} s, ${THINK_MS} ms think time`);
    const rss = [{ atSec: 0, bytes: readRss(context.kiln.pid) }];
    const startedAt = performance.now();
    const sampler = setInterval(() => {
      rss.push({ atSec: (performance.now() - startedAt) / 1000, bytes: readRss(context.kiln.pid) });
    }, RSS_SAMPLE_MS);
    const stats = {};
    const endsAt = startedAt + soakSec * 1000;
    try {
      await Promise.all(users.map((user, i) => userLoop(context, user, i, endsAt, stats)));
    } finally {
      clearInterval(sampler);
    }
    const elapsedSec = (performance.now() - startedAt) / 1000;
    rss.push({ atSec: elapsedSec, bytes: readRss(context.kiln.pid) });

    const routes = [...ACTIONS.map((action) => action.route), REFRESH_ROUTE];
    const rows = routes
      .filter((name) => stats[name])
      .map((name) => {
        const route = stats[name];
        return context.row(name, {
          value: route.latenciesMs.length / elapsedSec,
          unit: 'req/s',
          latencyP50Ms: percentile(route.latenciesMs, 50),
          latencyP99Ms: percentile(route.latenciesMs, 99),
          non2xx: route.non2xx,
          errors: route.errors,
          totalRequests: route.latenciesMs.length,
          durationSec: elapsedSec,
          ...(route.problems.length ? { error: route.problems.join('; ') } : {}),
        });
      });
    const total = Object.values(stats).reduce((sum, route) => sum + route.latenciesMs.length, 0);
    const startMb = megabytes(rss[0].bytes);
    const endMb = megabytes(rss[rss.length - 1].bytes);
    const peakMb = Math.max(...rss.map((sample) => megabytes(sample.bytes)));
    // Half-way against the end: steady growth shows in the second half too, a warm-up does not.
    const midMb = megabytes(rss[Math.floor(rss.length / 2)].bytes);
    rows.push(
      context.row(
        'kiln-rss-growth',
        {
          value: endMb - startMb,
          unit: 'MB',
          totalRequests: total,
          non2xx: 0,
          errors: 0,
          rssMb: rss.map((sample) => [
            Number(sample.atSec.toFixed(0)),
            Number(megabytes(sample.bytes).toFixed(1)),
          ]),
        },
        null,
        {
          ceiling: RSS_GROWTH_CEILING_MB,
          note: [
            `${total} requests from ${soakUsers} users in ${elapsedSec.toFixed(0)} s ` +
              `(${(total / elapsedSec).toFixed(0)} req/s); Kiln's RSS ${startMb.toFixed(0)} MB at ` +
              `the start, ${midMb.toFixed(0)} MB half-way, ${endMb.toFixed(0)} MB at the end, ` +
              `${peakMb.toFixed(0)} MB at most (a sample every ${RSS_SAMPLE_MS / 1000} s)`,
          ],
        },
      ),
    );
    return rows;
  },
};
