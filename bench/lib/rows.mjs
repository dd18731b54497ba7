/**
 * One line of the results: a target's numbers, and its requests/s relative to the baseline of
 * its scenario (the baseline's own row reads 1).
 */
export function toRow(target, summary, baseline = null) {
  return {
    target,
    ...summary,
    ratio: baseline ? summary.requestsPerSec / baseline.requestsPerSec : null,
  };
}

/** A row passes when every request got a 2xx answer and nothing errored or timed out. */
export function finishRow(row, scenario) {
  const problems = [];
  if (row.error) problems.push(row.error);
  if (row.non2xx > 0) problems.push(`${row.non2xx} non-2xx responses`);
  if (row.errors > 0) problems.push(`${row.errors} errors (${row.timeouts} timeouts)`);
  if (!row.error && !(row.totalRequests > 0)) problems.push('no request completed');
  return { scenario, ...row, ok: problems.length === 0, problems };
}
