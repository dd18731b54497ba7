import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { defaultBinaryPaths } from '../../src/infra/media-toolkit/media-toolkit';

/**
 * Tiny media made with the project's own ffmpeg, for tests. Each file is generated once per set
 * of parameters into a shared temporary directory and reused: by every suite of a run (jest gives
 * each suite its own module registry, so an in-memory cache alone would not be shared) and by
 * later runs. Files appear by rename, so parallel workers never see a half-written one.
 */

const run = promisify(execFile);
const { ffmpegPath } = defaultBinaryPaths();
// Part of the cache key: bump it when a generator below changes what it writes.
const GENERATOR_VERSION = 1;
const cacheDir = join(
  tmpdir(),
  `kiln-media-samples-${hash(`${GENERATOR_VERSION}:${ffmpegPath}`).slice(0, 8)}`,
);
const pending = new Map<string, Promise<string>>();

export interface SampleVideoOptions {
  durationSec?: number;
  width?: number;
  height?: number;
  fps?: number;
  withAudio?: boolean;
  format?: 'mp4' | 'webm';
}

/** A moving test pattern (testsrc2) with an optional 440 Hz tone. */
export function sampleVideo(options: SampleVideoOptions = {}): Promise<string> {
  const {
    durationSec = 2,
    width = 320,
    height = 240,
    fps = 25,
    withAudio = true,
    format = 'mp4',
  } = options;
  const name = `video-${durationSec}s-${width}x${height}-${fps}fps-${withAudio ? 'audio' : 'mute'}.${format}`;
  const codecs =
    format === 'mp4'
      ? ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac']
      : ['-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-cpu-used', '8', '-c:a', 'libopus'];
  return generate(name, [
    ...lavfi(`testsrc2=s=${width}x${height}:r=${fps}:d=${durationSec}`),
    ...(withAudio ? lavfi(`sine=f=440:r=48000:d=${durationSec}`) : []),
    ...codecs,
    '-f',
    format,
  ]);
}

/** Two seconds of video: solid red for the first second, solid blue for the second. */
export function sampleRedThenBlueVideo(): Promise<string> {
  return generate('video-red-then-blue.mp4', [
    '-filter_complex',
    'color=c=red:s=320x240:r=25:d=1[r];color=c=blue:s=320x240:r=25:d=1[b];[r][b]concat=n=2:v=1:a=0',
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-f', 'mp4'],
  ]);
}

export function sampleImage(format: 'png' | 'jpeg' = 'png'): Promise<string> {
  const muxer =
    format === 'png' ? ['-c:v', 'png', '-f', 'image2'] : ['-c:v', 'mjpeg', '-f', 'mjpeg'];
  return generate(`image-160x120.${format === 'png' ? 'png' : 'jpg'}`, [
    ...lavfi('testsrc2=s=160x120'),
    ...['-frames:v', '1', ...muxer],
  ]);
}

/** Two seconds of a 440 Hz tone. */
export function sampleAudio(format: 'mp3' | 'wav' = 'mp3'): Promise<string> {
  const codec = format === 'mp3' ? ['-c:a', 'libmp3lame'] : ['-c:a', 'pcm_s16le'];
  return generate(`audio-2s.${format}`, [
    ...lavfi('sine=f=440:r=44100:d=2'),
    ...codec,
    '-f',
    format,
  ]);
}

/** Bytes that no demuxer accepts, under a name that says MP4. */
export function sampleCorruptVideo(): Promise<string> {
  return cached('corrupt.mp4', (path) => writeFile(path, Buffer.alloc(4096, 'not a video ')));
}

/**
 * The average colour of an image or of a video frame at `atSec`, as [red, green, blue] 0..255;
 * `centre` averages only the middle eighth of the width and sixteenth of the height.
 */
export async function averageColor(
  path: string,
  options: { atSec?: number; centre?: boolean } = {},
): Promise<[number, number, number]> {
  const crop = options.centre ? 'crop=iw/8:ih/16,' : '';
  const { stdout } = await run(
    ffmpegPath,
    [
      ...['-nostdin', '-hide_banner', '-loglevel', 'error'],
      ...['-ss', String(options.atSec ?? 0), '-i', path, '-frames:v', '1'],
      ...['-vf', `${crop}scale=1:1:flags=area`, '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'],
    ],
    { encoding: 'buffer' },
  );
  return [stdout[0], stdout[1], stdout[2]];
}

/**
 * Process ids of the ffmpeg/ffprobe processes this process has started (through its media
 * launcher) and that still run.
 */
export async function runningMediaChildren(): Promise<number[]> {
  const { stdout } = await run('ps', ['-e', '-o', 'pid=,ppid=,comm=']);
  const processes = stdout
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields.length === 3)
    .map(([pid, ppid, command]) => ({ pid: Number(pid), ppid: Number(ppid), command }));
  // ffmpeg and ffprobe are started by the media launcher, a child of this process.
  const ours = new Set([process.pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const { pid, ppid } of processes) {
      if (ours.has(ppid) && !ours.has(pid)) {
        ours.add(pid);
        grew = true;
      }
    }
  }
  return processes
    .filter(({ pid, command }) => ours.has(pid) && (command === 'ffmpeg' || command === 'ffprobe'))
    .map(({ pid }) => pid);
}

function lavfi(graph: string): string[] {
  return ['-f', 'lavfi', '-i', graph];
}

function generate(name: string, args: string[]): Promise<string> {
  return cached(name, async (path) => {
    await run(ffmpegPath, ['-nostdin', '-y', '-hide_banner', '-loglevel', 'error', ...args, path]);
  });
}

function cached(name: string, write: (path: string) => Promise<void>): Promise<string> {
  let file = pending.get(name);
  if (!file) {
    file = ensureFile(name, write);
    pending.set(name, file);
  }
  return file;
}

async function ensureFile(name: string, write: (path: string) => Promise<void>): Promise<string> {
  const path = join(cacheDir, name);
  if (
    await stat(path).then(
      (s) => s.size > 0,
      () => false,
    )
  )
    return path;
  await mkdir(cacheDir, { recursive: true });
  const temporary = join(cacheDir, `.${randomBytes(4).toString('hex')}.${name}`);
  try {
    await write(temporary);
    await rename(temporary, path);
  } finally {
    await rm(temporary, { force: true });
  }
  return path;
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
