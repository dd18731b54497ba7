import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports.mjs';
import { isRunning, startChild } from './processes.mjs';

const READY_TIMEOUT_MS = 60_000;
// The production default; the auth-login scenario measures bcrypt at the same cost.
const BCRYPT_COST = 12;
// Far above anything the load reaches in a 60 s window: the bench measures work, not 429s.
const RATE_LIMIT = '100000000';
const READY_POLL_MS = 250;
// Kiln's production defaults (src/config/environment.ts), set explicitly like BCRYPT_COST so that a
// .env file cannot change them behind the bench's back; the environment may override them.
const JOBS_CONCURRENCY = 'transcode=1,thumbnail=2,montage=1,audio-extract=2,generate=1';
const MEDIA_MAX_BYTES = '536870912';
const TAIL_CHARS = 16_000;
export const BENCH_DATABASE_PREFIX = 'kiln_bench_';

/** Everything a run of Kiln owns, decided before it starts so cleanup knows it even on failure. */
export async function planKiln() {
  const runId = randomBytes(6).toString('hex');
  const port = await freePort();
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    // Per run, so that two runs at once (or two Kilns of one run) never share a database.
    databaseUrl: `postgres://postgres@127.0.0.1:5432/${BENCH_DATABASE_PREFIX}${runId}`,
    redisUrl: process.env.REDIS_URL || 'redis://127.0.0.1:6379',
    // Hex only, so the prefix is also a safe Redis SCAN pattern.
    redisPrefix: `kiln-bench-${runId}`,
    storageDir: await mkdtemp(join(tmpdir(), 'kiln-bench-')),
    // A fresh secret per run: production refuses the published development one.
    jwtSecret: randomBytes(36).toString('base64url'),
    dataEncryptionKey: randomBytes(32).toString('base64'),
    // Set explicitly (a .env file could say otherwise) and shared with the baselines that query
    // the database, so both sides get the same number of connections.
    databasePoolSize: process.env.DATABASE_POOL_SIZE || '10',
    bcryptCost: BCRYPT_COST,
    // Workers per job type, as Kiln parses JOBS_CONCURRENCY; baselines of job work use the same.
    jobsConcurrency: process.env.JOBS_CONCURRENCY || JOBS_CONCURRENCY,
    mediaMaxBytes: process.env.MEDIA_MAX_BYTES || MEDIA_MAX_BYTES,
    child: null,
  };
}

/**
 * How many jobs of each type Kiln runs at once, read from the JOBS_CONCURRENCY it was given the
 * way Kiln reads it (`type=count,...`; a type not listed gets 1).
 */
export function jobConcurrency(kiln, type) {
  for (const pair of kiln.jobsConcurrency.split(',')) {
    const [name, count] = pair.split('=').map((part) => part.trim());
    if (name === type) return Number(count);
  }
  return 1;
}

/**
 * Starts `node dist/src/main.js` in production mode and resolves once it is ready. With
 * `cpuProfileDir`, Node profiles it and writes `kiln.cpuprofile` there when it exits.
 */
export async function startKiln(kiln, { rootDir, logFile, cpuProfileDir = null }) {
  const profiling = cpuProfileDir
    ? ['--cpu-prof', '--cpu-prof-dir', cpuProfileDir, '--cpu-prof-name', 'kiln.cpuprofile']
    : [];
  const child = startChild(process.execPath, [...profiling, 'dist/src/main.js'], {
    cwd: rootDir,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      // API and queue workers in one process.
      APP_ROLE: 'all',
      HOST: '127.0.0.1',
      PORT: String(kiln.port),
      JWT_SECRET: kiln.jwtSecret,
      DATA_ENCRYPTION_KEY: kiln.dataEncryptionKey,
      DATABASE_URL: kiln.databaseUrl,
      DATABASE_POOL_SIZE: kiln.databasePoolSize,
      REDIS_URL: kiln.redisUrl,
      REDIS_PREFIX: kiln.redisPrefix,
      LOG_LEVEL: 'warn',
      STORAGE_DIR: kiln.storageDir,
      BCRYPT_COST: String(kiln.bcryptCost),
      RATE_LIMIT_WINDOW_SEC: '60',
      RATE_LIMIT_DEFAULT: RATE_LIMIT,
      RATE_LIMIT_LOGIN: RATE_LIMIT,
      RATE_LIMIT_REGISTER: RATE_LIMIT,
      RATE_LIMIT_PASSWORD_RESET: RATE_LIMIT,
      JOBS_CONCURRENCY: kiln.jobsConcurrency,
      MEDIA_MAX_BYTES: kiln.mediaMaxBytes,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  kiln.child = child;
  // `node` itself, not a shell: scenarios read its memory from /proc/<pid>.
  kiln.pid = child.pid;

  // Kiln's output goes to a log file; the tails are kept for error messages.
  const log = createWriteStream(logFile);
  const tails = { stdout: '', stderr: '' };
  for (const stream of ['stdout', 'stderr']) {
    child[stream].on('data', (chunk) => {
      log.write(chunk);
      tails[stream] = (tails[stream] + chunk).slice(-TAIL_CHARS);
    });
  }
  child.once('exit', () => log.end());
  kiln.output = () => describeOutput(tails);

  await waitUntilReady(kiln);
}

/** What a baseline needs to do Kiln's work against Kiln's data: the database and the JWT secret. */
export function baselineEnvironment(kiln) {
  return {
    DATABASE_URL: kiln.databaseUrl,
    DATABASE_POOL_SIZE: kiln.databasePoolSize,
    JWT_SECRET: kiln.jwtSecret,
  };
}

async function waitUntilReady(kiln) {
  const readyUrl = `${kiln.url}/api/v1/health/ready`;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let lastProblem = 'no answer yet';
  while (Date.now() < deadline) {
    if (!isRunning(kiln.child)) {
      const { exitCode, signalCode } = kiln.child;
      throw new Error(
        `Kiln exited before it was ready (code ${exitCode}, signal ${signalCode}).\n${kiln.output()}`,
      );
    }
    try {
      const response = await fetch(readyUrl, { signal: AbortSignal.timeout(2000) });
      const body = await response.text();
      if (response.status === 200) return;
      lastProblem = `HTTP ${response.status} ${body.slice(0, 500)}`;
    } catch (error) {
      lastProblem = error.cause?.code ?? error.message;
    }
    await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
  }
  throw new Error(
    `Kiln was not ready within ${READY_TIMEOUT_MS / 1000} s at ${readyUrl} ` +
      `(last: ${lastProblem}).\n${kiln.output()}`,
  );
}

/** The ends of Kiln's output, short enough to read in a terminal; the log file has all of it. */
function describeOutput({ stdout, stderr }) {
  const lastLines = (text, count) => text.trim().split('\n').slice(-count).join('\n');
  const parts = [
    stderr.trim()
      ? `Kiln's stderr (last lines):\n${lastLines(stderr, 30)}`
      : "Kiln's stderr: empty",
  ];
  if (stdout.trim()) parts.push(`Kiln's stdout (last lines):\n${lastLines(stdout, 5)}`);
  parts.push('Full output: bench/results/kiln.log');
  return parts.join('\n');
}
