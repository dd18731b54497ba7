import { GenerationServiceError } from './generation-protocol';
import { MAX_ATTEMPTS, MAX_RETRY_AFTER_MS, withRetries } from './retry';

describe('withRetries', () => {
  const signal = new AbortController().signal;

  it('tries a retryable failure again, up to MAX_ATTEMPTS in all', async () => {
    const attempt = jest.fn().mockRejectedValue(new GenerationServiceError('busy', {}));
    await expect(withRetries(attempt, 1, signal)).rejects.toThrow('busy');
    expect(attempt).toHaveBeenCalledTimes(MAX_ATTEMPTS);
  });

  it('returns the first success', async () => {
    const attempt = jest
      .fn()
      .mockRejectedValueOnce(new GenerationServiceError('busy', { afterMs: 0 }))
      .mockResolvedValueOnce('done');
    await expect(withRetries(attempt, 1, signal)).resolves.toBe('done');
    expect(attempt).toHaveBeenCalledTimes(2);
  });

  it('does not retry other failures, nor wait for a Retry-After past the limit', async () => {
    for (const error of [
      new GenerationServiceError('refused'),
      new GenerationServiceError('later', { afterMs: MAX_RETRY_AFTER_MS + 1 }),
      new TypeError('a bug'),
    ]) {
      const attempt = jest.fn().mockRejectedValue(error);
      await expect(withRetries(attempt, 1, signal)).rejects.toBe(error);
      expect(attempt).toHaveBeenCalledTimes(1);
    }
  });

  it('stops waiting when the signal fires', async () => {
    const abort = new AbortController();
    const attempt = jest.fn().mockRejectedValue(new GenerationServiceError('busy', {}));
    const retrying = withRetries(attempt, 10_000, abort.signal);
    // Once the first attempt has failed and the wait begun.
    await new Promise((resolve) => setImmediate(resolve));
    abort.abort();
    await expect(retrying).rejects.toMatchObject({ name: 'AbortError' });
    expect(attempt).toHaveBeenCalledTimes(1);
  });
});
