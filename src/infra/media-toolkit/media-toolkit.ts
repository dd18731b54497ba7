import { resolve } from 'node:path';
import {
  mp4AudioArgs,
  mp4MuxerArgs,
  mp4VideoArgs,
  Quality,
  webmAudioArgs,
  webmVideoArgs,
} from './encoder-settings';
import { MediaProcessError } from './errors';
import { fileUrl, runFfmpeg } from './ffmpeg-process';
import { montageFilter } from './montage-filter';
import { probeMedia, ProbeResult } from './probe';
import { FRAME_SIZES, Resolution } from './resolutions';
import { layoutPrompt, SCENE_FPS, sceneFilter } from './scene';
import { withTemporaryFile } from './temporary-file';
import { writeAtomically } from './atomic-output';

export type { Quality } from './encoder-settings';
export type { ProbeResult } from './probe';
export type { Resolution } from './resolutions';
export { FRAME_SIZES } from './resolutions';
export { MediaCancelledError, MediaProcessError, MediaTimeoutError } from './errors';
export { defaultBinaryPaths, defaultFontPath } from './default-paths';

export interface RunOptions {
  signal?: AbortSignal;
  /** Budget for the whole operation, probing included; defaults to `defaultTimeoutMs`. */
  timeoutMs?: number;
  /** Integer percentages, increasing, a few per second at most, 100 once the output is in place. Must not throw. */
  onProgress?: (percent: number) => void;
  /**
   * What an earlier probe found of a single-input operation's input (e.g. at upload), when it is
   * known to be a video; the operation then skips probing it again, one process less per job.
   */
  knownVideo?: KnownVideo;
}

export interface KnownVideo {
  durationSec?: number;
}

export interface MediaToolkitOptions {
  ffmpegPath: string;
  ffprobePath: string;
  defaultTimeoutMs: number;
  /** A TTF/OTF file for the prompt text of `renderScene`; without it the scene has no text. */
  fontPath?: string;
}

export interface TranscodeParams {
  resolution: Resolution;
  quality: Quality;
  format: 'mp4' | 'webm';
}

export interface ThumbnailParams {
  atSec: number;
  width: number;
  format: 'jpeg' | 'webp';
}

export interface MontageParams {
  resolution: Resolution;
  maxDurationSec?: number;
}

export interface ExtractAudioParams {
  format: 'mp3' | 'wav';
}

export interface SceneParams {
  prompt: string;
  resolution: Resolution;
  quality: Quality;
  durationSec: number;
}

export const MONTAGE_INPUT_LIMITS = { min: 2, max: 20 } as const;

// Input seeking this close to the end of a file often finds no frame at all.
const THUMBNAIL_END_MARGIN_SEC = 0.5;

/**
 * Media operations on local files through ffmpeg and ffprobe. Every operation writes its output
 * atomically (a temporary file renamed into place), kills its process on cancel or timeout before
 * it settles, and reports failures as MediaProcessError, MediaCancelledError or MediaTimeoutError.
 */
export class MediaToolkit {
  constructor(private readonly options: MediaToolkitOptions) {}

  probe(
    path: string,
    opts: { timeoutMs?: number; signal?: AbortSignal } = {},
  ): Promise<ProbeResult> {
    return probeMedia(this.options.ffprobePath, path, {
      timeoutMs: opts.timeoutMs ?? this.options.defaultTimeoutMs,
      signal: opts.signal,
    });
  }

  /** Scales to the resolution's height, keeping the aspect ratio (even width), and re-encodes. */
  async transcode(
    input: string,
    output: string,
    p: TranscodeParams,
    opts: RunOptions = {},
  ): Promise<void> {
    const remainingMs = this.startClock(opts);
    const source =
      opts.knownVideo ?? (await this.probeVideo(input, 'The input', opts, remainingMs));
    const codecs =
      p.format === 'mp4'
        ? [...mp4VideoArgs(p.quality), ...mp4AudioArgs(), ...mp4MuxerArgs()]
        : [...webmVideoArgs(p.quality), ...webmAudioArgs(), '-f', 'webm'];
    await this.produce(
      output,
      (outputUrl) => [
        ...['-i', fileUrl(resolve(input))],
        ...['-map', '0:v:0', '-map', '0:a:0?', '-sn', '-dn'],
        ...['-vf', `scale=-2:${FRAME_SIZES[p.resolution].height}`],
        ...codecs,
        outputUrl,
      ],
      opts,
      remainingMs,
      source.durationSec,
    );
  }

  /** One frame at `atSec` (pulled back to just before the end when past it), `width` wide. */
  async thumbnail(
    input: string,
    output: string,
    p: ThumbnailParams,
    opts: RunOptions = {},
  ): Promise<void> {
    const remainingMs = this.startClock(opts);
    const source =
      opts.knownVideo ?? (await this.probeVideo(input, 'The input', opts, remainingMs));
    const latest = Math.max(0, (source.durationSec ?? Infinity) - THUMBNAIL_END_MARGIN_SEC);
    const atSec = Math.min(Math.max(0, p.atSec), latest);
    const encoder =
      p.format === 'jpeg'
        ? ['-c:v', 'mjpeg', '-q:v', '3', '-f', 'mjpeg']
        : ['-c:v', 'libwebp', '-quality', '80', '-f', 'webp'];
    await this.produce(
      output,
      (outputUrl) => [
        // Before -i, -ss seeks the input instead of decoding everything up to atSec.
        ...['-ss', atSec.toFixed(3), '-i', fileUrl(resolve(input))],
        ...['-map', '0:v:0', '-frames:v', '1', '-vf', `scale=${p.width}:-2`],
        ...encoder,
        outputUrl,
      ],
      opts,
      remainingMs,
    );
  }

  /** Joins 2..20 videos in order into one MP4, each fitted and padded to the resolution's frame. */
  async montage(
    inputs: readonly string[],
    output: string,
    p: MontageParams,
    opts: RunOptions = {},
  ): Promise<void> {
    const { min, max } = MONTAGE_INPUT_LIMITS;
    if (inputs.length < min || inputs.length > max) {
      throw new RangeError(`A montage takes ${min} to ${max} inputs, not ${inputs.length}`);
    }
    const remainingMs = this.startClock(opts);
    const sources: ProbeResult[] = [];
    // One at a time: a failed probe must not leave its siblings running.
    for (const [index, input] of inputs.entries()) {
      sources.push(await this.probeVideo(input, `Input ${index + 1}`, opts, remainingMs));
    }
    const withAudio = sources.some((source) => source.hasAudio);
    const totalSec = sources.reduce((sum, source) => sum + (source.durationSec ?? 0), 0);
    const limit = p.maxDurationSec;
    await this.produce(
      output,
      (outputUrl) => [
        ...inputs.flatMap((input) => ['-i', fileUrl(resolve(input))]),
        ...['-filter_complex', montageFilter(sources, FRAME_SIZES[p.resolution], withAudio)],
        ...(withAudio ? ['-map', '[v]', '-map', '[a]'] : ['-map', '[v]']),
        ...mp4VideoArgs('medium'),
        ...(withAudio ? mp4AudioArgs() : []),
        ...(limit === undefined ? [] : ['-t', String(limit)]),
        ...mp4MuxerArgs(),
        outputUrl,
      ],
      opts,
      remainingMs,
      limit === undefined ? totalSec : Math.min(totalSec, limit),
    );
  }

  /** The first audio stream alone, as MP3 (VBR ~190 kb/s) or 16-bit PCM WAV. */
  async extractAudio(
    input: string,
    output: string,
    p: ExtractAudioParams,
    opts: RunOptions = {},
  ): Promise<void> {
    const remainingMs = this.startClock(opts);
    const source = await this.probe(input, { timeoutMs: remainingMs(), signal: opts.signal });
    if (!source.hasAudio) throw new MediaProcessError('The input has no audio stream');
    const encoder =
      p.format === 'mp3'
        ? ['-c:a', 'libmp3lame', '-q:a', '2', '-f', 'mp3']
        : ['-c:a', 'pcm_s16le', '-f', 'wav'];
    await this.produce(
      output,
      (outputUrl) => [
        ...['-i', fileUrl(resolve(input)), '-map', '0:a:0', '-vn', '-sn', '-dn'],
        ...encoder,
        outputUrl,
      ],
      opts,
      remainingMs,
      source.durationSec,
    );
  }

  /**
   * The built-in local "generation" renderer: not a model, but an animated scene drawn by ffmpeg
   * (see scene.ts) with the prompt written on it when a font is configured; MP4, no audio, lasting
   * `durationSec` to the frame at 30 fps.
   */
  async renderScene(output: string, p: SceneParams, opts: RunOptions = {}): Promise<void> {
    if (!(p.durationSec > 0)) throw new RangeError('durationSec must be greater than 0');
    const remainingMs = this.startClock(opts);
    const frame = FRAME_SIZES[p.resolution];
    const frames = Math.max(1, Math.round(p.durationSec * SCENE_FPS));
    const { fontPath } = this.options;
    const render = (textFile?: string) => {
      const scene = sceneFilter(
        p.prompt,
        frame,
        textFile && fontPath ? { textFile, fontPath } : undefined,
      );
      return this.produce(
        output,
        (outputUrl) => [
          ...['-f', 'lavfi', '-i', scene, '-frames:v', String(frames)],
          ...mp4VideoArgs(p.quality),
          ...mp4MuxerArgs(),
          outputUrl,
        ],
        opts,
        remainingMs,
        frames / SCENE_FPS,
      );
    };
    const text = fontPath ? layoutPrompt(p.prompt, frame) : '';
    await (text ? withTemporaryFile(text, render) : render());
  }

  /** One time budget for all the processes (probes, then ffmpeg) of one operation. */
  private startClock(opts: RunOptions): () => number {
    const endsAt = Date.now() + (opts.timeoutMs ?? this.options.defaultTimeoutMs);
    return () => endsAt - Date.now();
  }

  private async probeVideo(
    input: string,
    description: string,
    opts: RunOptions,
    remainingMs: () => number,
  ): Promise<ProbeResult> {
    const source = await this.probe(input, { timeoutMs: remainingMs(), signal: opts.signal });
    if (!source.hasVideo) throw new MediaProcessError(`${description} has no video stream`);
    return source;
  }

  /** Runs ffmpeg into a temporary file that becomes `output` on success, then reports 100. */
  private async produce(
    output: string,
    argsFor: (outputUrl: string) => string[],
    opts: RunOptions,
    remainingMs: () => number,
    expectedDurationSec?: number,
  ): Promise<void> {
    await writeAtomically(output, (temporaryPath) =>
      runFfmpeg(this.options.ffmpegPath, argsFor(fileUrl(temporaryPath)), {
        timeoutMs: remainingMs(),
        signal: opts.signal,
        onProgress: opts.onProgress,
        expectedDurationSec,
      }),
    );
    opts.onProgress?.(100);
  }
}
