/** Reads a whole number from the environment, so a typo fails loudly instead of benching nonsense. */
function intFromEnv(name, fallback, min) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`${name} must be a whole number >= ${min}, got "${raw}"`);
  }
  return value;
}

/** The knobs of a run; README.md lists them. */
export function readSettings() {
  const only = process.env.BENCH_SCENARIOS?.trim();
  return {
    connections: intFromEnv('BENCH_CONNECTIONS', 50, 1),
    durationSec: intFromEnv('BENCH_DURATION', 10, 1),
    warmupSec: intFromEnv('BENCH_WARMUP', 3, 0),
    // Logins wait on bcrypt, so fewer connections keep every core busy (see auth-login).
    loginConnections: intFromEnv('BENCH_LOGIN_CONNECTIONS', 16, 1),
    // Thumbnail jobs of jobs-pipeline, and the size in MB (10^6 bytes) of upload's file.
    jobs: intFromEnv('BENCH_JOBS', 200, 1),
    // Unmeasured jobs first (when BENCH_WARMUP is not 0): see jobs-pipeline.
    jobsWarmup: intFromEnv('BENCH_JOBS_WARMUP', 600, 0),
    uploadMegabytes: intFromEnv('BENCH_UPLOAD_MB', 200, 1),
    // The soak scenario's length and its simulated users.
    soakSec: intFromEnv('BENCH_SOAK_SEC', 300, 1),
    soakUsers: intFromEnv('BENCH_SOAK_USERS', 8, 1),
    scenarios: only ? only.split(',').map((name) => name.trim()) : null,
    cpuProfile: ['1', 'true', 'yes'].includes(process.env.BENCH_CPU_PROF?.toLowerCase() ?? ''),
  };
}
