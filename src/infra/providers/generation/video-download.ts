import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { GenerationServiceError } from './generation-protocol';
import { networkCode } from '../http/service-answers';

export interface VideoDownloadOptions {
  headers: Record<string, string>;
  /** The caller's cancel and deadline; its abort error is passed on as it is. */
  signal: AbortSignal;
  /** The longest wait for the answer, then for each next chunk of it. */
  stallTimeoutMs: number;
  /** The share of the video received so far, 0..1, when the answer says how long it is. */
  onFraction?: (fraction: number) => void;
}

/**
 * Streams a video chunk by chunk into a hidden temporary file beside `outputPath`, renamed into
 * place when complete: never the whole video in memory, never a half-written file where the
 * caller looks, and on any failure no file left at all. Same directory, so the rename is atomic.
 */
export async function downloadVideo(
  url: URL,
  outputPath: string,
  options: VideoDownloadOptions,
): Promise<void> {
  const target = resolve(outputPath);
  const temporaryPath = join(
    dirname(target),
    `.${basename(target)}.${randomBytes(4).toString('hex')}.partial`,
  );
  // A transfer that stops moving would otherwise hold the job until its overall deadline.
  const stalled = new AbortController();
  const stallTimer = setTimeout(() => stalled.abort(), options.stallTimeoutMs);
  let answered = false;
  try {
    await mkdir(dirname(target), { recursive: true });
    const response = await fetch(url, {
      headers: options.headers,
      signal: AbortSignal.any([options.signal, stalled.signal]),
    });
    answered = true;
    if (!response.ok || !response.body) {
      await response.body?.cancel();
      throw new GenerationServiceError(
        `The generation service answered ${response.status} to the video download`,
      );
    }
    const length = Number(response.headers.get('content-length')) || undefined;
    let received = 0;
    const file = await open(temporaryPath, 'wx');
    try {
      for await (const chunk of response.body) {
        stallTimer.refresh();
        await file.write(chunk);
        received += chunk.byteLength;
        if (length) options.onFraction?.(Math.min(1, received / length));
      }
    } finally {
      await file.close();
    }
    if (received === 0) {
      throw new GenerationServiceError('The generation service sent an empty video');
    }
    await rename(temporaryPath, target);
  } catch (error) {
    await rm(temporaryPath, { force: true });
    throw downloadError(error, { answered, stalled: stalled.signal.aborted, options });
  } finally {
    clearTimeout(stallTimer);
  }
}

function downloadError(
  error: unknown,
  state: { answered: boolean; stalled: boolean; options: VideoDownloadOptions },
): unknown {
  const { answered, stalled, options } = state;
  if (options.signal.aborted || error instanceof GenerationServiceError) return error;
  if (stalled) {
    return new GenerationServiceError(
      `The video download stalled for more than ${options.stallTimeoutMs} ms`,
    );
  }
  // File system errors name the path in their message; their code says enough.
  const { syscall, code } = error as NodeJS.ErrnoException;
  if (syscall) return new Error(`Could not save the generated video (${code ?? syscall})`);
  return new GenerationServiceError(
    answered
      ? 'The video download was cut off before the end'
      : `The generated video could not be downloaded (${networkCode(error)})`,
  );
}
