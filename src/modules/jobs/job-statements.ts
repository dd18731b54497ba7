/**
 * The statements a worker runs for every job, as named (prepared) statements: run thousands of
 * times a day, they skip TypeORM's query building and PostgreSQL's planning.
 */

/** JobRunner's claim of a queued job (see there): $1 id, $2 attempt; returns the row. */
export const CLAIM_JOB = {
  name: 'jobs.claim',
  text: `UPDATE jobs
    SET status = 'processing', progress = 0, attempts = $2, error = NULL,
        started_at = COALESCE(started_at, now()), updated_at = now()
    WHERE id = $1 AND status NOT IN ('completed', 'cancelled')
    RETURNING *`,
};

/**
 * Completes a running job with its outputs, unless it was cancelled meanwhile (then no row
 * comes back), and returns the outputs of an earlier run. The row is locked first, so those
 * are the committed ones, and stays locked until the caller's transaction ends. $1 id,
 * $2 outputs, $3 finished at.
 */
export const COMPLETE_JOB = {
  name: 'jobs.complete',
  text: `UPDATE jobs j
    SET status = 'completed', progress = 100, outputs = $2::uuid[], finished_at = $3,
        error = NULL, updated_at = now()
    FROM (SELECT id, outputs FROM jobs WHERE id = $1 FOR UPDATE) earlier
    WHERE j.id = earlier.id AND j.status <> 'cancelled'
    RETURNING earlier.outputs AS earlier_outputs`,
};
