import { runningMediaChildren } from '../../../test/support/media-samples';
import { defaultBinaryPaths } from './default-paths';
import { MediaCancelledError, MediaProcessError, MediaTimeoutError } from './errors';
import { runFfmpeg, runProcess } from './ffmpeg-process';

const { ffmpegPath } = defaultBinaryPaths();
// Reads a test pattern in real time and throws it away: runs until it is killed.
const ENDLESS = ['-re', '-f', 'lavfi', '-i', 'testsrc=s=64x48:r=10', '-f', 'null', '-'];

describe('runProcess', () => {
  it('resolves when the process exits with 0 and hands over its stdout', async () => {
    let stdout = '';
    await runProcess(process.execPath, ['-e', 'process.stdout.write("hello")'], {
      label: 'node',
      timeoutMs: 10_000,
      onStdout: (chunk) => (stdout += chunk),
    });
    expect(stdout).toBe('hello');
  });

  it('rejects a failure with the exit code, the last stderr line and a 2 KB stderr tail', async () => {
    const script =
      'process.stderr.write("x".repeat(5000) + "\\nfile:/srv/secret/in.mp4: broken\\n"); process.exit(3)';
    const error = await runProcess(process.execPath, ['-e', script], {
      label: 'node',
      timeoutMs: 10_000,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MediaProcessError);
    const failure = error as MediaProcessError;
    expect(failure.exitCode).toBe(3);
    expect(failure.message).toBe('node failed (exit code 3): in.mp4: broken');
    expect(failure.stderrTail.length).toBeLessThanOrEqual(2048);
    expect(failure.stderrTail).not.toContain('/srv/secret');
  });

  it('rejects with MediaProcessError when the binary cannot be started', async () => {
    await expect(
      runProcess('/nonexistent/ffmpeg', [], { label: 'ffmpeg', timeoutMs: 10_000 }),
    ).rejects.toThrow(new MediaProcessError('Could not start ffmpeg (ENOENT)'));
  });
});

describe('runFfmpeg', () => {
  it('kills ffmpeg when the signal fires and rejects only after it has exited', async () => {
    const controller = new AbortController();
    const running = runFfmpeg(ffmpegPath, ENDLESS, {
      timeoutMs: 30_000,
      signal: controller.signal,
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await runningMediaChildren()).toHaveLength(1);
    controller.abort();
    await expect(running).rejects.toBeInstanceOf(MediaCancelledError);
    expect(await runningMediaChildren()).toEqual([]);
  });

  it('does not start ffmpeg when the signal has already fired', async () => {
    const controller = new AbortController();
    controller.abort();
    const outcome = expect(
      runFfmpeg(ffmpegPath, ENDLESS, { timeoutMs: 30_000, signal: controller.signal }),
    ).rejects.toBeInstanceOf(MediaCancelledError);
    expect(await runningMediaChildren()).toEqual([]);
    await outcome;
  });

  it('kills ffmpeg at the time limit and rejects with MediaTimeoutError', async () => {
    const startedAt = Date.now();
    await expect(runFfmpeg(ffmpegPath, ENDLESS, { timeoutMs: 300 })).rejects.toBeInstanceOf(
      MediaTimeoutError,
    );
    expect(Date.now() - startedAt).toBeLessThan(5_000);
    expect(await runningMediaChildren()).toEqual([]);
  });

  it('reports progress from -progress output against the expected duration', async () => {
    const reported: number[] = [];
    await runFfmpeg(
      ffmpegPath,
      ['-re', '-f', 'lavfi', '-i', 'testsrc=s=64x48:r=10:d=1.5', '-f', 'null', '-'],
      { timeoutMs: 30_000, expectedDurationSec: 1.5, onProgress: (p) => reported.push(p) },
    );
    expect(reported.length).toBeGreaterThan(0);
    expect(reported).toEqual([...reported].sort((a, b) => a - b));
    expect(Math.max(...reported)).toBeLessThan(100);
  });
});
