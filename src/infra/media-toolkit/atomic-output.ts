import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { MediaProcessError } from './errors';

/**
 * Lets `write` fill a hidden temporary file beside `output` and renames it into place only when it
 * succeeded and is not empty, so readers never see a half-written file; on any failure the
 * temporary file is removed. Same directory, so the rename is atomic (one file system).
 */
export async function writeAtomically(
  output: string,
  write: (temporaryPath: string) => Promise<void>,
): Promise<void> {
  const target = resolve(output);
  const directory = dirname(target);
  const extension = extname(target);
  const suffix = randomBytes(4).toString('hex');
  const temporaryPath = join(
    directory,
    `.${basename(target, extension)}.${suffix}.partial${extension}`,
  );
  await mkdir(directory, { recursive: true });
  try {
    await write(temporaryPath);
    const written = await stat(temporaryPath).catch(() => undefined);
    if (!written?.size) {
      throw new MediaProcessError(`ffmpeg produced no data for ${basename(target)}`);
    }
    await rename(temporaryPath, target);
  } catch (error) {
    await rm(temporaryPath, { force: true });
    throw error;
  }
}
