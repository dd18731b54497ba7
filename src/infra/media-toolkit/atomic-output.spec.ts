import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeAtomically } from './atomic-output';
import { MediaProcessError } from './errors';

describe('writeAtomically', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kiln-atomic-'));
  });

  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('writes to a hidden temporary file beside the output and renames it into place', async () => {
    let temporary = '';
    await writeAtomically(join(dir, 'sub', 'out.mp4'), async (path) => {
      temporary = path;
      await writeFile(path, 'data');
    });
    expect(temporary).toMatch(
      new RegExp(`^${join(dir, 'sub')}/\\.out\\.[0-9a-f]{8}\\.partial\\.mp4$`),
    );
    expect(await readFile(join(dir, 'sub', 'out.mp4'), 'utf8')).toBe('data');
    expect(await readdir(join(dir, 'sub'))).toEqual(['out.mp4']);
  });

  it('removes the partial file and keeps an existing output when writing fails', async () => {
    await writeFile(join(dir, 'out.mp4'), 'previous');
    const failure = new Error('boom');
    await expect(
      writeAtomically(join(dir, 'out.mp4'), async (path) => {
        await writeFile(path, 'half');
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(await readdir(dir)).toEqual(['out.mp4']);
    expect(await readFile(join(dir, 'out.mp4'), 'utf8')).toBe('previous');
  });

  it('refuses an empty result', async () => {
    await expect(
      writeAtomically(join(dir, 'out.jpg'), (path) => writeFile(path, '')),
    ).rejects.toThrow(new MediaProcessError('ffmpeg produced no data for out.jpg'));
    expect(await readdir(dir)).toEqual([]);
  });
});
