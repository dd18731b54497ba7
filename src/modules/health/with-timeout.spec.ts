import { withTimeout } from './with-timeout';

describe('withTimeout', () => {
  it('passes a result through when it comes in time', async () => {
    await expect(withTimeout(Promise.resolve('PONG'), 50)).resolves.toBe('PONG');
  });

  it('rejects when the promise hangs', async () => {
    await expect(withTimeout(new Promise(() => undefined), 20)).rejects.toThrow(
      'timed out after 20 ms',
    );
  });
});
