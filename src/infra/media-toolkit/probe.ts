import { resolve } from 'node:path';
import { MediaProcessError } from './errors';
import { fileUrl, runProcess } from './ffmpeg-process';

export interface ProbeResult {
  /** ffprobe's container name(s), e.g. `mov,mp4,m4a,3gp,3g2,mj2`, `matroska,webm`, `png_pipe`. */
  formatName: string;
  /** Absent for still images and streams whose length is unknown. */
  durationSec?: number;
  width?: number;
  height?: number;
  hasVideo: boolean;
  hasAudio: boolean;
  videoCodec?: string;
  audioCodec?: string;
}

interface FfprobeStream {
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  disposition?: { attached_pic?: number };
}

interface FfprobeOutput {
  streams?: FfprobeStream[];
  format?: { format_name?: string; duration?: string };
}

export async function probeMedia(
  ffprobePath: string,
  path: string,
  options: { timeoutMs: number; signal?: AbortSignal },
): Promise<ProbeResult> {
  let stdout = '';
  await runProcess(
    ffprobePath,
    [
      '-v',
      'error',
      '-hide_banner',
      '-print_format',
      'json',
      '-show_format',
      '-show_streams',
      '-i',
      fileUrl(resolve(path)),
    ],
    { label: 'ffprobe', ...options, onStdout: (chunk) => (stdout += chunk) },
  );
  return parseProbeOutput(stdout);
}

export function parseProbeOutput(json: string): ProbeResult {
  let output: FfprobeOutput;
  try {
    output = JSON.parse(json) as FfprobeOutput;
  } catch {
    throw new MediaProcessError('ffprobe returned output that is not JSON');
  }
  const streams = output.streams ?? [];
  // Cover art in audio files shows up as a one-frame video stream; it does not make a video.
  const video = streams.find(
    (stream) => stream.codec_type === 'video' && stream.disposition?.attached_pic !== 1,
  );
  const audio = streams.find((stream) => stream.codec_type === 'audio');
  const formatName = output.format?.format_name ?? 'unknown';
  const duration = Number(output.format?.duration);
  return {
    formatName,
    durationSec:
      Number.isFinite(duration) && duration > 0 && !isStillImageFormat(formatName)
        ? duration
        : undefined,
    width: video?.width,
    height: video?.height,
    hasVideo: video !== undefined,
    hasAudio: audio !== undefined,
    videoCodec: video?.codec_name,
    audioCodec: audio?.codec_name,
  };
}

/** Image demuxers (image2, png_pipe, ...) may report one 25 fps frame, 0.04 s, as a duration. */
function isStillImageFormat(formatName: string): boolean {
  return formatName === 'image2' || formatName.endsWith('_pipe');
}
