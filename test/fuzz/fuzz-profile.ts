/**
 * How much to fuzz. `npm test` runs the fast slice (a few requests per operation, every
 * operation); `npm run test:fuzz` sets FUZZ_PROFILE=full (a few hundred per operation).
 *
 * - FUZZ_SEED: replays a run (every run prints its seed; each operation derives its own from it).
 * - FUZZ_RUNS: generated requests per operation (each is sent as three callers).
 * - FUZZ_OPERATIONS: comma-separated `METHOD /path` keys, to fuzz only those.
 */
export interface FuzzProfile {
  name: 'fast' | 'full';
  seed: number;
  runsPerOperation: number;
  /** fast-check stops shrinking a failure after this many smaller cases. */
  maxShrinks: number;
  only?: string[];
  /** Per operation (jest's timeout for its test). */
  timeoutMs: number;
}

export function fuzzProfile(env: NodeJS.ProcessEnv = process.env): FuzzProfile {
  const full = env.FUZZ_PROFILE === 'full';
  const runsPerOperation = Number(env.FUZZ_RUNS ?? (full ? 100 : 3));
  const seed = env.FUZZ_SEED ? Number(env.FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);
  if (!Number.isSafeInteger(seed))
    throw new Error(`FUZZ_SEED must be an integer: ${env.FUZZ_SEED}`);
  return {
    name: full ? 'full' : 'fast',
    seed,
    runsPerOperation,
    maxShrinks: full ? 60 : 20,
    only: env.FUZZ_OPERATIONS?.split(',').map((key) => key.trim()),
    // Generous: shrinking a failure sends more requests, and the machine may be busy.
    timeoutMs: 90_000 + runsPerOperation * 3_000,
  };
}

/** The seed of one operation: the run's seed mixed with the operation (FNV-1a). */
export function operationSeed(seed: number, key: string): number {
  let hash = 0x811c9dc5 ^ seed;
  for (const c of key) hash = Math.imul(hash ^ c.charCodeAt(0), 0x01000193);
  return hash | 0;
}
