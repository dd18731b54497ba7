/** The billing queue carries one repeatable job: closing the periods that have ended. */
export const BILLING_QUEUE = 'billing';
export const CLOSE_PERIODS_JOB = 'close-periods';
/** Hourly, so a period is closed within an hour of its end even after a worker was down. */
export const CLOSE_PERIODS_CRON = '5 * * * *';
