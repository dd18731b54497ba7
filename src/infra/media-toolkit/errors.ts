/** ffmpeg or ffprobe could not do the work, usually because the input is not valid media. */
export class MediaProcessError extends Error {
  override readonly name = 'MediaProcessError';
  /** The process's exit code; null when it never started or was killed by a signal. */
  readonly exitCode: number | null;
  /** The end of the process's stderr, with file system paths reduced to file names. */
  readonly stderrTail: string;

  constructor(message: string, details: { exitCode?: number | null; stderrTail?: string } = {}) {
    super(message);
    this.exitCode = details.exitCode ?? null;
    this.stderrTail = details.stderrTail ?? '';
  }
}

/** The caller's AbortSignal fired; the process has been killed and its partial output removed. */
export class MediaCancelledError extends Error {
  override readonly name = 'MediaCancelledError';
}

/** The work ran past its time limit; the process has been killed and its partial output removed. */
export class MediaTimeoutError extends Error {
  override readonly name = 'MediaTimeoutError';
}
