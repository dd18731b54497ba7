import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';

const COLUMNS = [
  { title: 'scenario', value: (r) => r.scenario },
  { title: 'target', value: (r) => r.target },
  { title: 'value', value: (r) => rate(r.value ?? r.requestsPerSec), right: true },
  {
    title: 'unit',
    value: (r) => ((r.value ?? r.requestsPerSec) == null ? '' : (r.unit ?? 'req/s')),
  },
  { title: 'p50 ms', value: (r) => millis(r.latencyP50Ms), right: true },
  { title: 'p99 ms', value: (r) => millis(r.latencyP99Ms), right: true },
  { title: 'non-2xx', value: (r) => fixed(r.non2xx, 0), right: true },
  { title: 'errors', value: (r) => fixed(r.errors, 0), right: true },
  {
    title: 'vs baseline',
    value: (r) => (r.ratio == null ? '' : `${r.ratio.toFixed(2)}x`),
    right: true,
  },
  { title: 'goal', value: goalText, right: true },
  { title: 'status', value: (r) => r.status },
];

function fixed(value, digits) {
  return typeof value === 'number' ? value.toFixed(digits) : '';
}

function goalText(row) {
  if (row.goal != null) return `>=${row.goal.toFixed(2)}x`;
  if (row.ceiling != null) return `<${row.ceiling} ${row.unit}`;
  return '';
}

/** A decimal for small figures (logins run at a few per second), whole numbers otherwise. */
function rate(value) {
  return fixed(value, typeof value === 'number' && value < 100 ? 1 : 0);
}

/** autocannon's latency histogram counts whole milliseconds, so 0 means under one. */
function millis(value) {
  return value === 0 ? '<1' : fixed(value, 0);
}

/** An aligned plain-text table, then why rows failed or missed their goal, then the notes. */
export function formatTable(rows) {
  const cells = rows.map((row) => COLUMNS.map((column) => column.value(row)));
  const widths = COLUMNS.map((column, i) =>
    Math.max(column.title.length, ...cells.map((line) => line[i].length)),
  );
  const line = (values) =>
    values
      .map((value, i) => (COLUMNS[i].right ? value.padStart(widths[i]) : value.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  const name = (row) => `${row.scenario} / ${row.target}`;
  const failures = rows
    .filter((row) => !row.ok)
    .map((row) => `FAIL ${name(row)}: ${row.problems.join('; ')}`);
  const misses = rows
    .filter((row) => row.ok && row.goalMet === false)
    .map((row) =>
      row.ceiling != null
        ? `OVER GOAL ${name(row)}: ${rate(row.value)} ${row.unit}, ` +
          `goal under ${row.ceiling} ${row.unit} (reported, does not fail the run)`
        : `BELOW GOAL ${name(row)}: ${row.ratio.toFixed(2)}x of the baseline, ` +
          `goal ${row.goal.toFixed(2)}x (reported, does not fail the run)`,
    );
  // A row's note may be a list: one line each.
  const notes = rows
    .filter((row) => row.note)
    .flatMap((row) => [row.note].flat().map((note) => `Note ${name(row)}: ${note}`));
  const section = (lines) => (lines.length > 0 ? ['', ...lines] : []);
  return [
    line(COLUMNS.map((column) => column.title)),
    line(widths.map((width) => '-'.repeat(width))),
    ...cells.map(line),
    ...section(failures),
    ...section(misses),
    ...section(notes),
  ].join('\n');
}

export function machineFacts() {
  const cpus = os.cpus();
  return {
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    cpuModel: cpus[0]?.model ?? 'unknown',
    cores: os.availableParallelism(),
    totalMemoryBytes: os.totalmem(),
    totalMemoryGiB: Number((os.totalmem() / 1024 ** 3).toFixed(1)),
  };
}

/**
 * How busy the CPUs are before the run, from the kernel's counters over `ms`: other work on the
 * machine (a test run, a build) takes cores from the servers and makes every figure low.
 */
export async function cpuBusyFraction(ms = 1000) {
  const totals = () =>
    os.cpus().reduce(
      (sum, cpu) => {
        const t = cpu.times;
        sum.idle += t.idle;
        sum.all += t.user + t.nice + t.sys + t.idle + t.irq;
        return sum;
      },
      { idle: 0, all: 0 },
    );
  const before = totals();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const after = totals();
  const all = after.all - before.all;
  return all > 0 ? 1 - (after.idle - before.idle) / all : 0;
}

/** The commit measured, so that results from different days can be told apart. */
export function gitFacts(cwd) {
  const git = (...args) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();
  try {
    return { commit: git('rev-parse', 'HEAD'), dirty: git('status', '--porcelain') !== '' };
  } catch {
    return { commit: null, dirty: null };
  }
}

export async function writeResults(file, results) {
  await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
}
