import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { defaultBinaryPaths } from '../../infra/media-toolkit/media-toolkit';
import { imageDimensions } from './image-dimensions';

const run = promisify(execFile);
const { ffmpegPath } = defaultBinaryPaths();

const ENCODERS = {
  jpeg: { mimeType: 'image/jpeg', args: ['-c:v', 'mjpeg', '-q:v', '3', '-f', 'mjpeg'] },
  png: { mimeType: 'image/png', args: ['-c:v', 'png', '-f', 'image2'] },
  'webp lossy': { mimeType: 'image/webp', args: ['-c:v', 'libwebp', '-f', 'webp'] },
  'webp lossless': {
    mimeType: 'image/webp',
    args: ['-c:v', 'libwebp', '-lossless', '1', '-f', 'webp'],
  },
  'webp with alpha': {
    mimeType: 'image/webp',
    args: ['-pix_fmt', 'yuva420p', '-c:v', 'libwebp', '-f', 'webp'],
  },
};

describe('imageDimensions', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kiln-image-dimensions-'));
  });

  afterAll(() => rm(dir, { recursive: true, force: true }));

  /** The first 4 KiB of one frame ffmpeg encoded at that size, like a thumbnail job's output. */
  async function encodedHead(kind: keyof typeof ENCODERS, width: number, height: number) {
    const path = join(dir, `${kind.replace(/ /g, '-')}-${width}x${height}`);
    const source = `testsrc2=s=${width}x${height},format=rgba`;
    await run(ffmpegPath, [
      ...['-v', 'error', '-y', '-f', 'lavfi', '-i', source, '-frames:v', '1'],
      ...ENCODERS[kind].args,
      path,
    ]);
    return (await readFile(path)).subarray(0, 4096);
  }

  it.each(Object.keys(ENCODERS) as (keyof typeof ENCODERS)[])(
    'reads the size of a %s image encoded by ffmpeg',
    async (kind) => {
      for (const [width, height] of [
        [320, 180],
        [1281, 719],
        [16, 4000],
      ]) {
        const head = await encodedHead(kind, width, height);
        expect(imageDimensions(ENCODERS[kind].mimeType, head)).toEqual({ width, height });
      }
    },
  );

  it('gives up on a header it does not hold or understand, and on other types', async () => {
    const jpeg = await encodedHead('jpeg', 64, 48);
    expect(imageDimensions('image/jpeg', jpeg.subarray(0, 40))).toBeUndefined();
    expect(
      imageDimensions('image/jpeg', Buffer.from('not a jpeg at all, just words')),
    ).toBeUndefined();
    expect(imageDimensions('image/png', Buffer.alloc(30))).toBeUndefined();
    expect(imageDimensions('image/webp', Buffer.alloc(40))).toBeUndefined();
    expect(imageDimensions('image/gif', jpeg)).toBeUndefined();
    expect(imageDimensions('video/mp4', jpeg)).toBeUndefined();
  });
});
