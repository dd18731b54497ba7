import { setTimeout as sleep } from 'node:timers/promises';
import { GenerationServiceError } from './generation-protocol';

/** Tries per request, the first included: enough to ride out a blip, not to wait out an outage. */
export const MAX_ATTEMPTS = 4;

/** A Retry-After longer than this means "not soon": the request fails now rather than wait. */
export const MAX_RETRY_AFTER_MS = 60_000;

/**
 * Runs `attempt` again after a GenerationServiceError marked as retryable, waiting the service's
 * Retry-After when it sent one and an exponential backoff from `baseDelayMs` otherwise. The wait
 * ends early, with the signal's AbortError, when `signal` fires.
 */
export async function withRetries<T>(
  attempt: () => Promise<T>,
  baseDelayMs: number,
  signal: AbortSignal,
): Promise<T> {
  for (let tries = 1; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      const retry = error instanceof GenerationServiceError ? error.retry : undefined;
      if (!retry || tries >= MAX_ATTEMPTS || signal.aborted) throw error;
      const delayMs = retry.afterMs ?? backoffMs(tries, baseDelayMs);
      if (delayMs > MAX_RETRY_AFTER_MS) throw error;
      await sleep(delayMs, undefined, { signal });
    }
  }
}

/** Doubling from `baseMs`, plus up to a quarter at random so that many workers spread out. */
function backoffMs(retry: number, baseMs: number): number {
  const delayMs = baseMs * 2 ** (retry - 1);
  return delayMs + (Math.random() * delayMs) / 4;
}
