import { MediaCancelledError, MediaProcessError, MediaTimeoutError } from './errors';
import { processLauncher, ProcessExit } from './launcher/process-launcher';
import { ProgressReporter } from './progress-reporter';
import { redactPaths } from './redact-paths';

const STDERR_TAIL_CHARS = 2048;
// setTimeout fires at once for delays past this (about 24.8 days) instead of waiting.
const MAX_TIMER_MS = 2_147_483_647;

export interface ProcessOptions {
  /** Names the program in error messages. */
  label: string;
  timeoutMs: number;
  signal?: AbortSignal;
  onStdout?: (chunk: string) => void;
}

export interface FfmpegRunOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  expectedDurationSec?: number;
  onProgress?: (percent: number) => void;
}

/** Flags every ffmpeg run gets: never read stdin, overwrite, errors only, progress on stdout. */
const FFMPEG_COMMON_ARGS = [
  '-nostdin',
  '-y',
  '-hide_banner',
  '-loglevel',
  'error',
  '-nostats',
  '-progress',
  'pipe:1',
];

/** Refers to a local file so that ffmpeg never reads a name like `http:x` or `concat:a|b` as a protocol. */
export function fileUrl(path: string): string {
  return `file:${path}`;
}

/** Runs ffmpeg with the common flags; progress stays below 100, which the caller reports when done. */
export async function runFfmpeg(
  ffmpegPath: string,
  args: readonly string[],
  options: FfmpegRunOptions,
): Promise<void> {
  const progress = new ProgressReporter(options);
  await runProcess(ffmpegPath, [...FFMPEG_COMMON_ARGS, ...args], {
    label: 'ffmpeg',
    timeoutMs: options.timeoutMs,
    signal: options.signal,
    onStdout: (chunk) => progress.feed(chunk),
  });
}

/**
 * Spawns a program with an argument array (no shell) and settles only after the process has
 * exited, so a rejection never leaves a process behind. The signal and the timeout kill it with
 * SIGKILL: its output is discarded anyway, so there is nothing to let it finish cleanly.
 */
export function runProcess(
  binary: string,
  args: readonly string[],
  options: ProcessOptions,
): Promise<void> {
  const { label, timeoutMs, signal, onStdout } = options;
  if (signal?.aborted) return Promise.reject(new MediaCancelledError(`${label} was cancelled`));
  if (timeoutMs <= 0) return Promise.reject(timeoutError(label));

  return new Promise((resolve, reject) => {
    let stderrTail = '';
    let stopReason: 'cancelled' | 'timeout' | undefined;

    const onClose = ({ exitCode, exitSignal, startError }: ProcessExit) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (stopReason === 'cancelled') reject(new MediaCancelledError(`${label} was cancelled`));
      else if (stopReason === 'timeout') reject(timeoutError(label));
      else if (startError)
        reject(new MediaProcessError(`Could not start ${label} (${startError})`));
      else if (exitCode === 0) resolve();
      else reject(processFailure(label, exitCode, exitSignal, stderrTail, args));
    };
    const child = processLauncher.launch(binary, args, {
      onStdout: (chunk) => onStdout?.(chunk),
      onStderr: (chunk) => {
        stderrTail = (stderrTail + chunk).slice(-STDERR_TAIL_CHARS);
      },
      onClose,
    });

    const stop = (reason: 'cancelled' | 'timeout') => {
      if (stopReason) return;
      stopReason = reason;
      child.kill();
    };
    const onAbort = () => stop('cancelled');
    const timer = setTimeout(() => stop('timeout'), Math.min(timeoutMs, MAX_TIMER_MS));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function timeoutError(label: string): MediaTimeoutError {
  return new MediaTimeoutError(`${label} did not finish within the time limit`);
}

function processFailure(
  label: string,
  exitCode: number | null,
  exitSignal: NodeJS.Signals | null,
  stderrTail: string,
  args: readonly string[],
): MediaProcessError {
  const filePaths = args.filter((arg) => arg.startsWith('file:')).map((arg) => arg.slice(5));
  const tail = redactPaths(stderrTail, filePaths);
  const outcome =
    exitCode === null ? `was stopped by ${exitSignal}` : `failed (exit code ${exitCode})`;
  const reason = lastReason(tail);
  return new MediaProcessError(`${label} ${outcome}${reason ? `: ${reason}` : ''}`, {
    exitCode,
    stderrTail: tail,
  });
}

/** The last line that says what went wrong, without the `[demuxer @ 0x55d1...]` prefix. */
function lastReason(stderr: string): string | undefined {
  const lines = stderr
    .split('\n')
    .map((line) => line.replace(/^\[[^\]]* @ 0x[0-9a-f]+\]\s*/i, '').trim())
    .filter((line) => line && line !== 'Conversion failed!');
  return lines.at(-1);
}
