import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deleteRedisKeys, dropDatabase, removeDirectory } from '../lib/cleanup.mjs';
import { countCpu } from '../lib/cpu.mjs';
import { planKiln, startKiln } from '../lib/kiln.mjs';
import { callApi, newAccount, register } from '../lib/kiln-api.mjs';
import { measure } from '../lib/load.mjs';
import { stopChild } from '../lib/processes.mjs';
import { median } from '../lib/stats.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const GOAL = 0.9;
const PATH = '/api/v1/jobs';
// Their queue is paused, so the load measures POST /jobs and not the rendering.
const JOB = { type: 'generate', params: { prompt: 'bench', durationSec: 1, resolution: '480p' } };
const QUEUE = 'jobs-generate';
// Far above anything the load reaches: metering counts every request and refuses none.
const LIMIT = 1_000_000_000;
// The two Kilns are measured in turns this long, so that whatever else the machine does while
// the scenario runs falls on both alike.
const TURN_SEC = 2;
// Turns vary by ±15 % on a small machine: fewer than this many a side leave the ratio to chance.
const MIN_TURNS = 30;
// Each instance signs a user up per connection and measures no login: cheap hashes will do.
const BCRYPT_COST = 4;
// The sweep would walk the thousands of queued jobs every 30 s, in one Kiln at a time.
const SWEEP_INTERVAL_MS = '3600000';

/** Sets environment variables for the child that `start` spawns, and restores them at once. */
function withEnvironment(variables, start) {
  const saved = Object.fromEntries(Object.keys(variables).map((name) => [name, process.env[name]]));
  Object.assign(process.env, variables);
  try {
    return start();
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

/**
 * A Kiln of its own for one side of the comparison (database, Redis prefix, storage), with
 * BILLING_METERING as given, its jobs' queue paused, the free plan's limits out of the way, and
 * one user per connection, each with its own counters.
 */
async function startInstance(label, metering, connections) {
  const kiln = await planKiln();
  kiln.bcryptCost = BCRYPT_COST;
  const instance = { kiln, label, tokens: [] };
  const admin = newAccount(`quota-admin-${label}`);
  try {
    const variables = {
      BILLING_METERING: String(metering),
      JOBS_SWEEP_INTERVAL_MS: SWEEP_INTERVAL_MS,
      ADMIN_EMAIL: admin.email,
      ADMIN_PASSWORD: admin.password,
    };
    const logFile = join(ROOT, 'bench', 'results', `kiln-jobs-quota-${label}.log`);
    await withEnvironment(variables, () => startKiln(kiln, { rootDir: ROOT, logFile }));
    const { accessToken: token } = await callApi(kiln.url, 'POST', '/auth/login', {
      body: { email: admin.email, password: admin.password },
    });
    await callApi(kiln.url, 'POST', `/admin/queues/${QUEUE}/pause`, { token });
    const free = (await callApi(kiln.url, 'GET', '/billing/plans')).find((p) => p.code === 'free');
    const limits = Object.fromEntries(Object.keys(free.limits).map((meter) => [meter, LIMIT]));
    const { name, priceCents, overagePrices, rateLimitTier } = free;
    await callApi(kiln.url, 'PUT', `/billing/plans/${free.id}`, {
      token,
      body: { name, priceCents, limits, overagePrices, rateLimitTier },
    });
    for (let i = 0; i < connections; i++) {
      instance.tokens.push((await register(kiln.url, newAccount(`quota-${i}`))).accessToken);
    }
  } catch (error) {
    await stopInstance(instance);
    throw error;
  }
  return instance;
}

async function stopInstance({ kiln }) {
  if (kiln.child) await stopChild(kiln.child);
  await dropDatabase(kiln.databaseUrl);
  await deleteRedisKeys(kiln.redisPrefix, kiln.redisUrl);
  await removeDirectory(kiln.storageDir);
}

/** autocannon's options for POST /jobs on the instance: connection i is user i. */
function loadOn({ kiln, tokens }) {
  let next = 0;
  return {
    url: `${kiln.url}${PATH}`,
    method: 'POST',
    body: JSON.stringify(JOB),
    setupClient: (client) =>
      client.setHeaders({
        'content-type': 'application/json',
        authorization: `Bearer ${tokens[next++ % tokens.length]}`,
      }),
  };
}

/** One turn on a side, with the CPU time its Kiln and PostgreSQL spent meanwhile. */
async function measureTurn(side, settings) {
  const cpu = countCpu(side.instance.kiln.pid);
  const turn = await measure(side.load, settings);
  const used = cpu.stop();
  side.cpu.kiln += used.kiln;
  side.cpu.postgres += used.postgres;
  side.turns.push(turn);
}

/** CPU time per request on one side, in µs: Kiln's node process and PostgreSQL's. */
function cpuPerRequest({ cpu }, result) {
  const per = (ms) => Math.round((ms * 1000) / result.totalRequests);
  return { kiln: per(cpu.kiln), postgres: per(cpu.postgres) };
}

/** The turns of one side as one result: requests over their total time, median latencies. */
function combine(turns) {
  const sum = (key) => turns.reduce((total, turn) => total + turn[key], 0);
  return {
    requestsPerSec: sum('totalRequests') / sum('durationSec'),
    latencyP50Ms: median(turns.map((turn) => turn.latencyP50Ms)),
    latencyP99Ms: median(turns.map((turn) => turn.latencyP99Ms)),
    totalRequests: sum('totalRequests'),
    durationSec: sum('durationSec'),
    connections: turns[0].connections,
    non2xx: sum('non2xx'),
    errors: sum('errors'),
    timeouts: sum('timeouts'),
    turns: turns.map((turn) => Number(turn.requestsPerSec.toFixed(1))),
  };
}

/**
 * What quota checks cost on the busiest metered route: POST /jobs on a Kiln that meters (each
 * job's row and its `jobs` count in one statement, which also checks `processing_seconds`)
 * against a Kiln with BILLING_METERING=false, in the same run. Both run side by side, each on a
 * database of its own, and are measured in alternating turns.
 */
export default {
  name: 'jobs-quota',
  description: `POST ${PATH}: with quota checks against metering turned off`,
  async run(context) {
    const { connections, durationSec, warmupSec } = context.settings;
    const instances = [];
    try {
      for (const [label, metering] of [
        ['unmetered', false],
        ['metered', true],
      ]) {
        context.progress(`  starting a Kiln with BILLING_METERING=${metering}`);
        instances.push(await startInstance(label, metering, connections));
      }
      const sides = instances.map((instance) => ({
        instance,
        load: loadOn(instance),
        turns: [],
        cpu: { kiln: 0, postgres: 0 },
      }));
      const turn = (seconds) => ({ ...context.settings, warmupSec: 0, durationSec: seconds });
      if (warmupSec > 0) {
        context.progress(`  warm-up: ${warmupSec} s on each`);
        for (const side of sides) await measure(side.load, turn(warmupSec));
      }
      const rounds = Math.max(MIN_TURNS, Math.round(durationSec / TURN_SEC));
      context.progress(
        `  ${rounds} turns of ${TURN_SEC} s on each, alternating, ${connections} connections`,
      );
      for (let round = 0; round < rounds; round++) {
        for (const side of round % 2 ? [...sides].reverse() : sides) {
          await measureTurn(side, turn(TURN_SEC));
        }
      }
      const [unmetered, metered] = sides.map((side) => combine(side.turns));
      const [unmeteredCpu, meteredCpu] = sides.map((side, i) =>
        cpuPerRequest(side, [unmetered, metered][i]),
      );
      const note =
        `${rounds} turns of ${TURN_SEC} s each, alternating; req/s per turn: metered ` +
        `${metered.turns.join(', ')}; unmetered ${unmetered.turns.join(', ')}. CPU per ` +
        `request, Kiln + PostgreSQL: metered ${meteredCpu.kiln} + ${meteredCpu.postgres} µs, ` +
        `unmetered ${unmeteredCpu.kiln} + ${unmeteredCpu.postgres} µs. One user per ` +
        "connection; the jobs' queue is paused, so no job runs";
      return [
        context.row('kiln-metered', metered, unmetered, { goal: GOAL, note }),
        context.row('kiln-unmetered', unmetered, unmetered),
      ];
    } finally {
      for (const instance of instances) await stopInstance(instance);
    }
  },
};
