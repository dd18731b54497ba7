import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Writes `contents` to a private temporary file for the duration of `use`, then removes it. */
export async function withTemporaryFile<T>(
  contents: string,
  use: (path: string) => Promise<T>,
): Promise<T> {
  const directory = await mkdtemp(join(tmpdir(), 'kiln-media-'));
  try {
    const path = join(directory, 'contents.txt');
    await writeFile(path, contents, 'utf8');
    return await use(path);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}
