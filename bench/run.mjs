// Entry point of `npm run bench`; README.md explains what it measures.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp } from 'node:fs/promises';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBareServer } from './lib/bare-servers.mjs';
import {
  deleteRedisKeys,
  dropAbandonedDatabases,
  dropDatabase,
  removeDirectory,
} from './lib/cleanup.mjs';
import { baselineEnvironment, BENCH_DATABASE_PREFIX, planKiln, startKiln } from './lib/kiln.mjs';
import { measure, stopLoad } from './lib/load.mjs';
import { isRunning, killAllNow, stopAll } from './lib/processes.mjs';
import {
  cpuBusyFraction,
  formatTable,
  gitFacts,
  machineFacts,
  writeResults,
} from './lib/report.mjs';
import { finishRow, toRow } from './lib/rows.mjs';
import { loadScenarios } from './lib/scenarios.mjs';
import { readSettings } from './lib/settings.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RESULTS_DIR = join(ROOT, 'bench', 'results');
// Above this share of CPU time in use before the run, the figures are not worth much.
const BUSY_WARNING = 0.25;

let kiln = null;
let cpuProfileDir = null;
let scratchDir = null;
let interrupted = false;
let cleaning = null;

async function main() {
  const settings = readSettings();
  cpuProfileDir = settings.cpuProfile ? join(RESULTS_DIR, 'profiles') : null;
  const scenarios = await loadScenarios(settings.scenarios);
  if (!existsSync(join(ROOT, 'dist', 'src', 'main.js'))) {
    throw new Error('dist/src/main.js is missing; run `npm run build` first (or `npm run bench`)');
  }
  await mkdir(RESULTS_DIR, { recursive: true });
  const busyBeforeRun = await cpuBusyFraction();
  if (busyBeforeRun > BUSY_WARNING) {
    progress(
      `Warning: the CPUs were ${(busyBeforeRun * 100).toFixed(0)} % busy before the run ` +
        '(other processes); every figure will be low. Compare only runs on an idle machine.',
    );
  }

  kiln = await planKiln();
  // Scenarios' own files (baseline outputs, copies), next to Kiln's storage; removed at the end.
  scratchDir = await mkdtemp(join(tmpdir(), 'kiln-bench-scratch-'));
  // Runs killed hard leave their databases behind; a run under way keeps its own.
  const abandoned = await dropAbandonedDatabases(kiln.databaseUrl, BENCH_DATABASE_PREFIX);
  if (abandoned.length) progress(`Dropped databases of earlier runs: ${abandoned.join(', ')}`);
  progress(`Starting Kiln on ${kiln.url} (log: bench/results/kiln.log)`);
  if (cpuProfileDir) {
    await removeDirectory(cpuProfileDir);
    progress(`Profiling the servers; the profiles go to ${cpuProfileDir} at the end`);
  }
  await startKiln(kiln, {
    rootDir: ROOT,
    logFile: join(RESULTS_DIR, 'kiln.log'),
    cpuProfileDir,
  });

  const rows = [];
  const context = createContext(settings);
  for (const scenario of scenarios) {
    if (interrupted) break;
    progress(`Scenario ${scenario.name}: ${scenario.description}`);
    try {
      const scenarioRows = await scenario.run(context);
      rows.push(...scenarioRows.map((row) => finishRow(row, scenario.name)));
    } catch (error) {
      rows.push(finishRow({ target: '-', error: error.message }, scenario.name));
    }
  }
  if (interrupted) return 1;
  if (!isRunning(kiln.child)) {
    // Its failed requests are in the rows already; this says why they failed.
    console.error(`Kiln exited during the run.\n${kiln.output()}`);
    rows.push(finishRow({ target: 'kiln', error: 'Kiln exited during the run' }, 'process'));
  }

  console.log(`\n${formatTable(rows)}\n`);
  const file = join(RESULTS_DIR, 'latest.json');
  await writeResults(file, {
    timestamp: new Date().toISOString(),
    machine: { ...machineFacts(), cpuBusyBeforeRun: Number(busyBeforeRun.toFixed(3)) },
    git: gitFacts(ROOT),
    settings: {
      connections: settings.connections,
      loginConnections: settings.loginConnections,
      cpuProfile: settings.cpuProfile,
      durationSec: settings.durationSec,
      warmupSec: settings.warmupSec,
      jobs: settings.jobs,
      jobsWarmup: settings.jobsWarmup,
      uploadMegabytes: settings.uploadMegabytes,
      soakSec: settings.soakSec,
      soakUsers: settings.soakUsers,
    },
    kiln: {
      bcryptCost: kiln.bcryptCost,
      databasePoolSize: Number(kiln.databasePoolSize),
      jobsConcurrency: kiln.jobsConcurrency,
      mediaMaxBytes: Number(kiln.mediaMaxBytes),
    },
    ok: rows.every((row) => row.ok),
    goalsMet: rows.every((row) => row.goalMet !== false),
    rows,
  });
  progress(`Results written to ${file}`);
  return rows.every((row) => row.ok) ? 0 : 1;
}

/** What a scenario gets to work with; see README.md. */
function createContext(settings) {
  const bareServers = new Map();
  return {
    kilnUrl: kiln.url,
    kiln: {
      url: kiln.url,
      pid: kiln.pid,
      databaseUrl: kiln.databaseUrl,
      bcryptCost: kiln.bcryptCost,
      databasePoolSize: kiln.databasePoolSize,
      jobsConcurrency: kiln.jobsConcurrency,
      mediaMaxBytes: Number(kiln.mediaMaxBytes),
      storageDir: kiln.storageDir,
    },
    settings,
    scratchDir,
    progress,
    async measure(target, request) {
      // With `amount`, the warm-up is a number of requests too, about warmupSec long.
      const about = request.amount ? '~' : '';
      const warmup = settings.warmupSec > 0 ? `${about}${settings.warmupSec} s warm-up + ` : '';
      const length = request.amount ? `${request.amount} requests` : `${settings.durationSec} s`;
      const connections = request.connections ?? settings.connections;
      progress(`  ${target}: ${warmup}${length}, ${connections} connections`);
      return measure(request, settings);
    },
    // One process per server file, shared by the scenarios that ask for it; stopped at the end.
    // Each gets Kiln's database URL, pool size and JWT secret in its environment.
    startBareServer(file = 'bare-fastify.mjs') {
      if (!bareServers.has(file)) {
        bareServers.set(file, startBareServer(file, baselineEnvironment(kiln), { cpuProfileDir }));
      }
      return bareServers.get(file);
    },
    row: toRow,
  };
}

/** Runs once, whatever happened: children first, so nothing holds the database or Redis keys. */
function cleanup() {
  cleaning ??= (async () => {
    stopLoad();
    let ok = true;
    const step = async (what, action) => {
      try {
        await action();
      } catch (error) {
        ok = false;
        console.error(`Cleanup: could not ${what}: ${error.message}`);
      }
    };
    await step('stop the servers', stopAll);
    if (kiln) {
      await step(`drop the database of the run`, () => dropDatabase(kiln.databaseUrl));
      await step(`delete the Redis keys under ${kiln.redisPrefix}`, () =>
        deleteRedisKeys(kiln.redisPrefix, kiln.redisUrl),
      );
      await step('remove the storage directory', () => removeDirectory(kiln.storageDir));
    }
    if (scratchDir) await step('remove the scratch directory', () => removeDirectory(scratchDir));
    return ok;
  })();
  return cleaning;
}

function progress(message) {
  // Progress goes to stderr so that stdout carries only the table.
  console.error(message);
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, async () => {
    interrupted = true;
    console.error(`\n${signal}: stopping and cleaning up`);
    await cleanup();
    process.exit(128 + constants.signals[signal]);
  });
}
process.on('exit', killAllNow);

let code;
try {
  code = await main();
} catch (error) {
  console.error(`\nBench failed: ${error.message}`);
  code = 1;
}
if (!(await cleanup())) code ||= 1;
process.exit(code);
