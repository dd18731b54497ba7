import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import ffmpegInstaller from '@ffmpeg-installer/ffmpeg';
import ffprobeInstaller from '@ffprobe-installer/ffprobe';

/** The static binaries Kiln itself runs (src/infra/media-toolkit/default-paths.ts). */
export const ffmpegPath = ffmpegInstaller.path;
export const ffprobePath = ffprobeInstaller.path;

// Part of the cache key: bump it when a generator below changes what it writes.
const GENERATOR_VERSION = 1;
/**
 * Sample media are made once per set of parameters and kept across runs (the 200 MB upload takes
 * a few seconds of ffmpeg): in the system's temporary directory, keyed by this version and the
 * ffmpeg binary. Delete the directory to get the space back.
 */
export const MEDIA_CACHE_DIR = join(
  tmpdir(),
  `kiln-bench-media-${createHash('sha256')
    .update(`${GENERATOR_VERSION}:${ffmpegPath}`)
    .digest('hex')
    .slice(0, 8)}`,
);

/**
 * What every ffmpeg run of Kiln's media toolkit starts with (FFMPEG_COMMON_ARGS in
 * src/infra/media-toolkit/ffmpeg-process.ts): no stdin, overwrite, errors only, progress on
 * stdout.
 */
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

/**
 * The exact command line of a JPEG thumbnail job (MediaToolkit.thumbnail in
 * src/infra/media-toolkit/media-toolkit.ts), so the direct baseline runs the same ffmpeg work as
 * Kiln's worker. Keep the two in step. Kiln pulls `atSec` back to 0.5 s before the end; callers
 * pass times that need no pulling back.
 */
export function thumbnailArgs(input, output, { atSec, width }) {
  return [
    ...FFMPEG_COMMON_ARGS,
    ...['-ss', atSec.toFixed(3), '-i', `file:${resolve(input)}`],
    ...['-map', '0:v:0', '-frames:v', '1', '-vf', `scale=${width}:-2`],
    ...['-c:v', 'mjpeg', '-q:v', '3', '-f', 'mjpeg'],
    `file:${resolve(output)}`,
  ];
}

/** The probe Kiln runs on every input and output file (src/infra/media-toolkit/probe.ts). */
export function probeArgs(input) {
  return [
    ...['-v', 'error', '-hide_banner', '-print_format', 'json', '-show_format', '-show_streams'],
    ...['-i', `file:${resolve(input)}`],
  ];
}

/**
 * Runs a program to its end the way Kiln's toolkit does (no shell, stdout and stderr read) and
 * resolves with its wall time in ms; rejects with the end of stderr when it fails.
 */
export function timeProcess(binary, args) {
  return new Promise((resolvePromise, reject) => {
    const startedAt = performance.now();
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', () => {});
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      stderr = (stderr + chunk).slice(-2000);
    });
    child.once('error', reject);
    child.once('close', (code, signal) => {
      if (code === 0) resolvePromise(performance.now() - startedAt);
      else reject(new Error(`${binary} exited with ${code ?? signal}: ${stderr.trim()}`));
    });
  });
}

/**
 * A small MP4 for jobs: testsrc2 video (H.264) with a 440 Hz tone (AAC), like the project's test
 * samples.
 */
export function sampleVideo({ durationSec = 5, width = 640, height = 360, fps = 25 } = {}) {
  const name = `sample-${durationSec}s-${width}x${height}-${fps}fps-audio.mp4`;
  return generate(name, [
    ...['-f', 'lavfi', '-i', `testsrc2=s=${width}x${height}:r=${fps}:d=${durationSec}`],
    ...['-f', 'lavfi', '-i', `sine=f=440:r=48000:d=${durationSec}`],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac'],
    ...['-f', 'mp4'],
  ]);
}

/**
 * A large but ordinary MP4 for uploads: 720p test pattern under heavy temporal noise, as
 * high-quality Motion JPEG (about 0.75 MB a frame, next to nothing compresses), cut by ffmpeg's
 * own size limit (`-fs`) so the file ends properly and ffprobe reads it. It comes out a little
 * above `bytes` (the index follows the limit).
 */
export function largeVideo(bytes) {
  return generate(`large-${bytes}.mp4`, [
    ...['-f', 'lavfi', '-i', 'testsrc2=s=1280x720:r=25,noise=alls=100:allf=t+u'],
    // Long enough for any size: 0.75 MB a frame, 25 frames a second.
    ...['-t', String(Math.ceil(bytes / 15e6) + 10), '-fs', String(bytes)],
    ...['-c:v', 'mjpeg', '-q:v', '2', '-f', 'mp4'],
  ]);
}

const pending = new Map();

function generate(name, args) {
  let file = pending.get(name);
  if (!file) {
    file = ensureFile(name, (path) =>
      timeProcess(ffmpegPath, [
        '-nostdin',
        '-y',
        '-hide_banner',
        '-loglevel',
        'error',
        ...args,
        path,
      ]),
    );
    pending.set(name, file);
  }
  return file;
}

/** Made under a temporary name and renamed into place, so a killed run leaves no half file. */
async function ensureFile(name, write) {
  const path = join(MEDIA_CACHE_DIR, name);
  const existing = await stat(path).catch(() => null);
  if (existing?.size > 0) return path;
  await mkdir(MEDIA_CACHE_DIR, { recursive: true });
  const temporary = join(MEDIA_CACHE_DIR, `.${randomBytes(4).toString('hex')}.${name}`);
  try {
    await write(temporary);
    await rename(temporary, path);
  } finally {
    await rm(temporary, { force: true });
  }
  return path;
}
