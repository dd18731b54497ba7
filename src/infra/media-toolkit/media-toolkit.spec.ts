import { copyFile, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  averageColor,
  runningMediaChildren,
  sampleAudio,
  sampleCorruptVideo,
  sampleRedThenBlueVideo,
  sampleVideo,
} from '../../../test/support/media-samples';
import {
  defaultBinaryPaths,
  defaultFontPath,
  MediaCancelledError,
  MediaProcessError,
  MediaTimeoutError,
  MediaToolkit,
} from './media-toolkit';

const fontPath = defaultFontPath();
const toolkit = new MediaToolkit({ ...defaultBinaryPaths(), defaultTimeoutMs: 30_000, fontPath });
const withoutFont = new MediaToolkit({ ...defaultBinaryPaths(), defaultTimeoutMs: 30_000 });

function isIncreasing(values: number[]): boolean {
  return values.every((value, index) => index === 0 || value > values[index - 1]);
}

/** Red above blue, for telling colours apart in a frame's average. */
function isReddish([red, , blue]: number[]): boolean {
  return red > 150 && blue < 100;
}

describe('MediaToolkit', () => {
  let dir: string;
  let outputCount = 0;
  const output = (name: string) => join(dir, `${++outputCount}-${name}`);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kiln-toolkit-'));
  });

  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('finds the DejaVu Sans font for scene text', () => {
    // dejavu-fonts-ttf is a dependency of the project; without it scenes carry no text.
    expect(fontPath).toMatch(/DejaVuSans\.ttf$/);
  });

  describe('transcode', () => {
    it('scales an MP4 to 480 lines, keeping the aspect ratio, and reports progress up to 100', async () => {
      const target = output('480p.mp4');
      const reported: number[] = [];
      await toolkit.transcode(
        await sampleVideo(),
        target,
        { resolution: '480p', quality: 'low', format: 'mp4' },
        { onProgress: (percent) => reported.push(percent) },
      );
      expect(await toolkit.probe(target)).toMatchObject({
        width: 640,
        height: 480,
        videoCodec: 'h264',
        audioCodec: 'aac',
      });
      expect(isIncreasing(reported)).toBe(true);
      expect(reported.at(-1)).toBe(100);
    });

    it('writes WebM as VP9 with Opus sound', async () => {
      const target = output('480p.webm');
      await toolkit.transcode(await sampleVideo(), target, {
        resolution: '480p',
        quality: 'medium',
        format: 'webm',
      });
      const result = await toolkit.probe(target);
      expect(result).toMatchObject({ height: 480, videoCodec: 'vp9', audioCodec: 'opus' });
      expect(result.formatName).toContain('webm');
    });

    it('refuses an input without a picture', async () => {
      await expect(
        toolkit.transcode(await sampleAudio('mp3'), output('x.mp4'), {
          resolution: '480p',
          quality: 'low',
          format: 'mp4',
        }),
      ).rejects.toThrow(new MediaProcessError('The input has no video stream'));
    });
  });

  describe('thumbnail', () => {
    it.each([
      ['jpeg', 'mjpeg'],
      ['webp', 'webp'],
    ] as const)('writes a %s of the asked width from the asked moment', async (format, codec) => {
      const video = await sampleRedThenBlueVideo();
      const early = output(`early.${format}`);
      const late = output(`late.${format}`);
      await toolkit.thumbnail(video, early, { atSec: 0.5, width: 160, format });
      await toolkit.thumbnail(video, late, { atSec: 1.5, width: 160, format });
      expect(await toolkit.probe(early)).toMatchObject({
        width: 160,
        height: 120,
        videoCodec: codec,
      });
      expect(isReddish(await averageColor(early))).toBe(true);
      expect(isReddish(await averageColor(late))).toBe(false);
    });

    it('takes the last moment of the video when asked for a time past its end', async () => {
      const target = output('past-end.jpg');
      await toolkit.thumbnail(await sampleRedThenBlueVideo(), target, {
        atSec: 60,
        width: 100,
        format: 'jpeg',
      });
      expect(isReddish(await averageColor(target))).toBe(false);
    });

    it('trusts a known duration instead of probing the input again', async () => {
      // The video lasts 2 s (red, then blue); told it lasts 1 s, the toolkit pulls 1.8 s back
      // to 0.5 s, in the red half, which shows the known figure was used and no probe was run.
      const target = output('known.jpg');
      await toolkit.thumbnail(
        await sampleRedThenBlueVideo(),
        target,
        { atSec: 1.8, width: 100, format: 'jpeg' },
        { knownVideo: { durationSec: 1 } },
      );
      expect(isReddish(await averageColor(target))).toBe(true);
    });
  });

  describe('montage', () => {
    it('joins clips of different sizes and rates, one without sound, at the target frame', async () => {
      const inputs = [
        await sampleVideo(),
        await sampleVideo({ width: 640, height: 360, fps: 30, withAudio: false }),
        await sampleVideo({ width: 240, height: 320, fps: 24 }),
      ];
      const target = output('montage.mp4');
      const reported: number[] = [];
      await toolkit.montage(
        inputs,
        target,
        { resolution: '480p' },
        { onProgress: (percent) => reported.push(percent) },
      );
      const result = await toolkit.probe(target);
      expect(result).toMatchObject({ width: 854, height: 480, hasVideo: true, hasAudio: true });
      expect(result.durationSec).toBeGreaterThan(5.7);
      expect(result.durationSec).toBeLessThan(6.3);
      expect(isIncreasing(reported)).toBe(true);
      expect(reported.at(-1)).toBe(100);
    });

    it('stops at maxDurationSec and stays silent when no clip has sound', async () => {
      const clip = await sampleVideo({ withAudio: false });
      const target = output('short-montage.mp4');
      await toolkit.montage([clip, clip], target, { resolution: '480p', maxDurationSec: 3 });
      const result = await toolkit.probe(target);
      expect(result).toMatchObject({ height: 480, hasAudio: false });
      expect(result.durationSec).toBeCloseTo(3, 0);
    });

    it('takes 2 to 20 inputs', async () => {
      const clip = await sampleVideo();
      await expect(
        toolkit.montage([clip], output('x.mp4'), { resolution: '480p' }),
      ).rejects.toThrow(RangeError);
    });

    it('names the input that has no picture', async () => {
      const inputs = [await sampleVideo(), await sampleAudio('wav')];
      await expect(
        toolkit.montage(inputs, output('x.mp4'), { resolution: '480p' }),
      ).rejects.toThrow(new MediaProcessError('Input 2 has no video stream'));
    });
  });

  describe('extractAudio', () => {
    it.each([
      ['mp3', 'mp3'],
      ['wav', 'pcm_s16le'],
    ] as const)('writes the sound alone as %s', async (format, codec) => {
      const target = output(`sound.${format}`);
      await toolkit.extractAudio(await sampleVideo(), target, { format });
      const result = await toolkit.probe(target);
      expect(result).toMatchObject({ hasVideo: false, hasAudio: true, audioCodec: codec });
      expect(result.durationSec).toBeCloseTo(2, 0);
    });

    it('refuses a video without sound', async () => {
      await expect(
        toolkit.extractAudio(await sampleVideo({ withAudio: false }), output('x.mp3'), {
          format: 'mp3',
        }),
      ).rejects.toThrow(new MediaProcessError('The input has no audio stream'));
    });
  });

  describe('renderScene', () => {
    const scene = {
      prompt: 'A red fox',
      resolution: '480p',
      quality: 'low',
      durationSec: 2,
    } as const;

    it('renders an MP4 of the asked duration and resolution, reporting progress up to 100', async () => {
      const target = output('scene.mp4');
      const reported: number[] = [];
      await toolkit.renderScene(target, scene, { onProgress: (percent) => reported.push(percent) });
      const result = await toolkit.probe(target);
      expect(result).toMatchObject({
        width: 854,
        height: 480,
        videoCodec: 'h264',
        hasAudio: false,
      });
      expect(Math.abs((result.durationSec ?? 0) - 2)).toBeLessThanOrEqual(0.2);
      expect(isIncreasing(reported)).toBe(true);
      expect(reported.at(-1)).toBe(100);
    });

    it('writes the prompt on the picture when a font is configured', async () => {
      const [withText, plain] = [output('text.mp4'), output('plain.mp4')];
      const centre = { atSec: 0.5, centre: true };
      await toolkit.renderScene(withText, { ...scene, durationSec: 1 });
      await withoutFont.renderScene(plain, { ...scene, durationSec: 1 });
      const [a, b] = [await averageColor(withText, centre), await averageColor(plain, centre)];
      expect(Math.max(...a.map((channel, i) => Math.abs(channel - b[i])))).toBeGreaterThan(10);
    });

    it('takes any prompt text literally, and a font path with filtergraph characters', async () => {
      const oddDir = join(dir, "it's [a], b; c:d");
      await mkdir(oddDir);
      const oddFont = join(oddDir, 'font.ttf');
      await copyFile(fontPath ?? '', oddFont);
      const odd = new MediaToolkit({
        ...defaultBinaryPaths(),
        defaultTimeoutMs: 30_000,
        fontPath: oddFont,
      });
      const target = output('odd.mp4');
      const prompt = "100% 'quoted': \\back\\slash, %{pts} [x]; é 🔥\n\tnext line";
      await odd.renderScene(target, { ...scene, prompt, durationSec: 1 });
      expect((await toolkit.probe(target)).durationSec).toBeCloseTo(1, 1);
    });
  });

  describe('failures', () => {
    it('rejects a corrupt input with MediaProcessError and a message without server paths', async () => {
      const target = output('from-corrupt.mp4');
      const error = await toolkit
        .transcode(await sampleCorruptVideo(), target, {
          resolution: '480p',
          quality: 'low',
          format: 'mp4',
        })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MediaProcessError);
      expect((error as Error).message).toContain('corrupt.mp4: Invalid data found');
      expect((error as Error).message).not.toContain('/');
    });

    it('kills ffmpeg when cancelled mid-job and leaves no partial output', async () => {
      const jobDir = await mkdtemp(join(dir, 'cancel-'));
      const controller = new AbortController();
      let childrenWhileRunning: number[] = [];
      const long = {
        prompt: 'long',
        resolution: '1080p',
        quality: 'low',
        durationSec: 60,
      } as const;
      const running = toolkit.renderScene(join(jobDir, 'long.mp4'), long, {
        signal: controller.signal,
        onProgress: () => {
          if (controller.signal.aborted) return;
          void runningMediaChildren().then((pids) => {
            childrenWhileRunning = pids;
            controller.abort();
          });
        },
      });
      await expect(running).rejects.toBeInstanceOf(MediaCancelledError);
      expect(childrenWhileRunning).toHaveLength(1);
      expect(await runningMediaChildren()).toEqual([]);
      expect(await readdir(jobDir)).toEqual([]);
    });

    it('kills ffmpeg at the time limit and leaves no partial output', async () => {
      const jobDir = await mkdtemp(join(dir, 'timeout-'));
      const long = {
        prompt: 'long',
        resolution: '1080p',
        quality: 'low',
        durationSec: 60,
      } as const;
      await expect(
        toolkit.renderScene(join(jobDir, 'long.mp4'), long, { timeoutMs: 500 }),
      ).rejects.toBeInstanceOf(MediaTimeoutError);
      expect(await runningMediaChildren()).toEqual([]);
      expect(await readdir(jobDir)).toEqual([]);
    });
  });
});
