import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';

// Services the bench's Kiln talks to, told apart by command name.
const SERVICES = { postgres: /^postgres/, redis: /^redis-server/ };

let clockTicks = null;

/** The kernel's clock ticks per second, the unit of the CPU times in /proc/<pid>/stat. */
function msPerTick() {
  if (clockTicks === null) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return 1000 / clockTicks;
}

/** The command name and the numeric fields after it (fields 3 on) of /proc/<pid>/stat. */
function readStat(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces and parentheses; the rest are plain.
  const close = stat.lastIndexOf(')');
  return {
    command: stat.slice(stat.indexOf('(') + 1, close),
    fields: stat.slice(close + 2).split(' '),
  };
}

/**
 * CPU time of a process in ms (Linux only): its own (`selfMs`, user + system) and that of the
 * children it has waited for (`childrenMs`).
 */
export function processCpu(pid) {
  const { fields } = readStat(pid);
  const [utime, stime, cutime, cstime] = fields.slice(11, 15).map(Number);
  return { selfMs: (utime + stime) * msPerTick(), childrenMs: (cutime + cstime) * msPerTick() };
}

/**
 * CPU time in ms of the children of a process still running, with what they waited for in
 * turn: for Kiln, its media launcher and the ffmpeg and ffprobe runs the launcher started. A
 * child that exits between two readings moves into its parent's `childrenMs`, so the sum of
 * both stays right across readings.
 */
function liveChildrenMs(pid) {
  let ms = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const { fields } = readStat(entry);
      if (fields[1] !== String(pid)) continue;
      ms += fields.slice(11, 15).reduce((sum, ticks) => sum + Number(ticks), 0) * msPerTick();
    } catch {
      // gone meanwhile
    }
  }
  return ms;
}

/**
 * CPU time of each service, in ms: that of its running processes, and that of the processes its
 * main process has waited for. A PostgreSQL backend or autovacuum worker that exits between two
 * readings so moves into the postmaster's share, and the difference stays right.
 */
function servicesCpu() {
  const totals = Object.fromEntries(Object.keys(SERVICES).map((name) => [name, 0]));
  const processes = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat;
    try {
      stat = readStat(entry);
    } catch {
      continue; // gone meanwhile
    }
    const service = Object.keys(SERVICES).find((name) => SERVICES[name].test(stat.command));
    if (service) processes.push({ pid: entry, service, fields: stat.fields });
  }
  const ticks = (fields, from) => Number(fields[from]) + Number(fields[from + 1]);
  for (const { service, fields } of processes) {
    totals[service] += ticks(fields, 11) * msPerTick();
    const parent = processes.find((other) => other.pid === fields[1]);
    // The service's main process: its waited-for children are counted here.
    if (parent?.service !== service) totals[service] += ticks(fields, 13) * msPerTick();
  }
  return totals;
}

/** CPU time spent by the whole machine, all cores, in ms. */
function machineBusyMs() {
  return os.cpus().reduce((sum, { times: t }) => sum + t.user + t.nice + t.sys + t.irq, 0);
}

/**
 * Starts counting CPU time; stop() says where it went meanwhile, in ms: `kiln` (Kiln's node
 * process), `kilnChildren` (its launcher, ffmpeg and ffprobe), `bench` (this process), `benchChildren`
 * (the programs it ran), `postgres`, `redis`, and `other`: the rest of the machine (kernel
 * threads, anything else running). Also `machineMs`, all of it, and `wallMs`.
 */
export function countCpu(kilnPid) {
  const snapshot = () => ({
    at: performance.now(),
    kiln: processCpu(kilnPid),
    kilnLiveChildrenMs: liveChildrenMs(kilnPid),
    bench: processCpu(process.pid),
    services: servicesCpu(),
    machine: machineBusyMs(),
  });
  const start = snapshot();
  return {
    stop() {
      const end = snapshot();
      const used = {
        kiln: end.kiln.selfMs - start.kiln.selfMs,
        kilnChildren:
          end.kiln.childrenMs +
          end.kilnLiveChildrenMs -
          (start.kiln.childrenMs + start.kilnLiveChildrenMs),
        bench: end.bench.selfMs - start.bench.selfMs,
        benchChildren: end.bench.childrenMs - start.bench.childrenMs,
        postgres: end.services.postgres - start.services.postgres,
        redis: end.services.redis - start.services.redis,
      };
      const machineMs = end.machine - start.machine;
      const known = Object.values(used).reduce((sum, ms) => sum + ms, 0);
      return {
        ...used,
        other: Math.max(0, machineMs - known),
        machineMs,
        wallMs: end.at - start.at,
      };
    },
  };
}
