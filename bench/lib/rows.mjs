/**
 * One line of the results: a target's numbers, and its requests/s relative to the baseline of
 * its scenario (the baseline's own row reads 1).
 *
 * `options.goal` is the ratio the row should reach (e.g. 0.9): a row below it reads `below goal`
 * but still passes, since a slow result is a finding, not a broken run. `options.computed` marks
 * a row whose req/s is calculated rather than measured (e.g. a hardware limit): it has no
 * latencies or request counts. `options.note` is printed under the table.
 */
export function toRow(target, summary, baseline = null, options = {}) {
  return {
    target,
    ...summary,
    ratio: baseline ? summary.requestsPerSec / baseline.requestsPerSec : null,
    goal: options.goal ?? null,
    ...(options.computed ? { computed: true } : {}),
    ...(options.note ? { note: options.note } : {}),
  };
}

/**
 * A row passes (`ok`) when every request got a 2xx answer and nothing errored or timed out; only
 * that decides the exit code. `goalMet` says whether the ratio reached the row's goal (null: no
 * goal), and `status` sums both up for the table: FAIL, below goal or ok.
 */
export function finishRow(row, scenario) {
  const problems = [];
  if (row.error) problems.push(row.error);
  if (row.non2xx > 0) problems.push(`${row.non2xx} non-2xx responses`);
  if (row.errors > 0) problems.push(`${row.errors} errors (${row.timeouts} timeouts)`);
  if (!row.error && !row.computed && !(row.totalRequests > 0)) {
    problems.push('no request completed');
  }
  const ok = problems.length === 0;
  const goalMet = row.goal == null || row.ratio == null ? null : row.ratio >= row.goal;
  const status = !ok ? 'FAIL' : goalMet === false ? 'below goal' : 'ok';
  return { scenario, ...row, ok, goalMet, status, problems };
}
