import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';

const COLUMNS = [
  { title: 'scenario', value: (r) => r.scenario },
  { title: 'target', value: (r) => r.target },
  { title: 'req/s', value: (r) => fixed(r.requestsPerSec, 0), right: true },
  { title: 'p50 ms', value: (r) => millis(r.latencyP50Ms), right: true },
  { title: 'p99 ms', value: (r) => millis(r.latencyP99Ms), right: true },
  { title: 'non-2xx', value: (r) => fixed(r.non2xx, 0), right: true },
  { title: 'errors', value: (r) => fixed(r.errors, 0), right: true },
  {
    title: 'vs baseline',
    value: (r) => (r.ratio == null ? '' : `${r.ratio.toFixed(2)}x`),
    right: true,
  },
  { title: 'status', value: (r) => (r.ok ? 'ok' : 'FAIL') },
];

function fixed(value, digits) {
  return typeof value === 'number' ? value.toFixed(digits) : '';
}

/** autocannon's latency histogram counts whole milliseconds, so 0 means under one. */
function millis(value) {
  return value === 0 ? '<1' : fixed(value, 0);
}

/** An aligned plain-text table, followed by the reason of every failed row. */
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
  const failures = rows
    .filter((row) => !row.ok)
    .map((row) => `FAIL ${row.scenario} / ${row.target}: ${row.problems.join('; ')}`);
  return [
    line(COLUMNS.map((column) => column.title)),
    line(widths.map((width) => '-'.repeat(width))),
    ...cells.map(line),
    ...(failures.length > 0 ? ['', ...failures] : []),
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
