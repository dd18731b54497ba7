import ffmpegInstaller from '@ffmpeg-installer/ffmpeg';
import ffprobeInstaller from '@ffprobe-installer/ffprobe';

const DEFAULT_FONT = 'dejavu-fonts-ttf/ttf/DejaVuSans.ttf';

/** The static ffmpeg and ffprobe binaries shipped by the installer packages for this platform. */
export function defaultBinaryPaths(): { ffmpegPath: string; ffprobePath: string } {
  return { ffmpegPath: ffmpegInstaller.path, ffprobePath: ffprobeInstaller.path };
}

/** DejaVu Sans from the dejavu-fonts-ttf package, or undefined when it is not installed. */
export function defaultFontPath(): string | undefined {
  try {
    return require.resolve(DEFAULT_FONT);
  } catch {
    return undefined;
  }
}
