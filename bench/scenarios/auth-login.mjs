import { createHmac } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import bcrypt from 'bcrypt';
import { newAccount, register } from '../lib/kiln-api.mjs';

const PATH = '/api/v1/auth/login';
const GOAL = 0.9;
const COMPARE_SAMPLES = 5;
const PARALLEL_ROUNDS = 3;

/** What Kiln's PasswordHasher feeds bcrypt: HMAC-SHA256 of the password, base64 (44 bytes). */
function condense(password) {
  return createHmac('sha256', 'kiln-password-v1').update(password, 'utf8').digest('base64');
}

/**
 * Times bcrypt.compare at Kiln's cost in this process, while Kiln is idle: the median of a few
 * compares one at a time, and, for the record, how many compares per second `cores` concurrent
 * ones reach (below cores / time when the cores are not independent, e.g. hyper-threads).
 */
async function timeBcrypt(cost, cores) {
  const input = condense('bench-password');
  const hash = await bcrypt.hash(input, cost);
  const compare = async () => {
    if (!(await bcrypt.compare(input, hash))) throw new Error('bcrypt.compare returned false');
  };
  await compare(); // warm-up
  const samplesMs = [];
  for (let i = 0; i < COMPARE_SAMPLES; i++) {
    const start = performance.now();
    await compare();
    samplesMs.push(performance.now() - start);
  }
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const medianMs = sorted[Math.floor(sorted.length / 2)];

  const start = performance.now();
  for (let round = 0; round < PARALLEL_ROUNDS; round++) {
    await Promise.all(Array.from({ length: cores }, compare));
  }
  const parallelPerSec = (cores * PARALLEL_ROUNDS) / ((performance.now() - start) / 1000);
  return { medianMs, samplesMs, parallelPerSec };
}

/**
 * A login costs one bcrypt compare at BCRYPT_COST (12, the production default), which dwarfs
 * everything else it does. So the yardstick is not a bare server but the machine's bcrypt limit:
 * cores / seconds per compare. Kiln should reach at least 90 % of it.
 */
export default {
  name: 'auth-login',
  description: `POST ${PATH}: Kiln against this machine's bcrypt limit`,
  async run(context) {
    const account = newAccount('login');
    await register(context.kilnUrl, account);

    const cost = context.kiln.bcryptCost;
    const cores = availableParallelism();
    const bcryptTime = await timeBcrypt(cost, cores);
    const limitPerSec = cores / (bcryptTime.medianMs / 1000);
    const limit = {
      requestsPerSec: limitPerSec,
      bcrypt: { cost, cores, ...bcryptTime },
    };

    // A fixed number of requests, about the settings' duration at the limit and a multiple of the
    // connections, measured to the last answer (see measure() in lib/load.mjs).
    const connections = context.settings.loginConnections;
    const rounds = Math.max(
      1,
      Math.round((limitPerSec * context.settings.durationSec) / connections),
    );
    const kiln = await context.measure('kiln', {
      url: `${context.kilnUrl}${PATH}`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: account.email, password: account.password }),
      connections,
      amount: rounds * connections,
      // Answers take about connections / rate, seconds here: autocannon's 10 s would be close.
      timeout: 60,
    });

    const note =
      `${cores} cores / ${bcryptTime.medianMs.toFixed(0)} ms per bcrypt.compare at cost ${cost} ` +
      `(median of ${COMPARE_SAMPLES}); ${cores} compares at a time reach ` +
      `${bcryptTime.parallelPerSec.toFixed(1)}/s ` +
      `(${(bcryptTime.parallelPerSec / limitPerSec).toFixed(2)}x of the limit)`;
    return [
      context.row('kiln', kiln, limit, { goal: GOAL }),
      context.row('bcrypt-limit', limit, limit, { computed: true, note }),
    ];
  },
};
