/**
 * One line of the results: a target's figure and, with a baseline, that figure relative to the
 * baseline's (the baseline's own row reads 1).
 *
 * The figure is `summary.value` in `summary.unit` (jobs/s, MB/s, MB...), or, for the HTTP loads
 * of lib/load.mjs, `summary.requestsPerSec` in req/s.
 *
 * `options.goal` is the ratio the row should reach (e.g. 0.9); `options.ceiling` is a value the
 * row should stay under (e.g. 100 MB of memory). A row that misses its goal reads `below goal` or
 * `over goal` but still passes, since a slow result is a finding, not a broken run.
 * `options.computed` marks a row whose figure is calculated rather than measured (e.g. a hardware
 * limit): it has no latencies or request counts. `options.note` is printed under the table (a
 * list of notes: one line each).
 */
export function toRow(target, summary, baseline = null, options = {}) {
  const value = valueOf(summary);
  return {
    target,
    ...summary,
    value,
    unit: summary.unit ?? 'req/s',
    ratio: baseline ? value / valueOf(baseline) : null,
    goal: options.goal ?? null,
    ...(options.ceiling != null ? { ceiling: options.ceiling } : {}),
    ...(options.computed ? { computed: true } : {}),
    ...(options.note ? { note: options.note } : {}),
  };
}

function valueOf(summary) {
  return summary.value ?? summary.requestsPerSec;
}

/**
 * A row passes (`ok`) when every request got a 2xx answer and nothing errored or timed out; only
 * that decides the exit code. `goalMet` says whether the row reached its goal or stayed under its
 * ceiling (null: neither), and `status` sums both up for the table: FAIL, below goal, over goal
 * or ok.
 */
export function finishRow(row, scenario) {
  const problems = [];
  if (row.error) problems.push(row.error);
  if (row.non2xx > 0) problems.push(`${row.non2xx} non-2xx responses`);
  if (row.errors > 0) problems.push(`${row.errors} errors (${row.timeouts ?? 0} timeouts)`);
  if (!row.error && !row.computed && !(row.totalRequests > 0)) {
    problems.push('no request completed');
  }
  const ok = problems.length === 0;
  let goalMet = null;
  if (row.goal != null && row.ratio != null) goalMet = row.ratio >= row.goal;
  else if (row.ceiling != null && row.value != null) goalMet = row.value < row.ceiling;
  let status = 'ok';
  if (!ok) status = 'FAIL';
  else if (goalMet === false) status = row.ceiling != null ? 'over goal' : 'below goal';
  return { scenario, ...row, ok, goalMet, status, problems };
}
