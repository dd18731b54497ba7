export type Quality = 'low' | 'medium' | 'high';

const X264_CRF: Readonly<Record<Quality, number>> = { low: 30, medium: 23, high: 18 };

// VP9's CRF scale runs higher than x264's for the same look.
const VP9_CRF: Readonly<Record<Quality, number>> = { low: 40, medium: 33, high: 24 };

// libvpx's "good" deadline is 5-8x slower than "realtime" here (2 cores), for a few percent of size.
const VP9_CPU_USED: Readonly<Record<Quality, number>> = { low: 8, medium: 6, high: 6 };

/** H.264 + AAC in MP4; veryfast keeps 1080p near real time on 2 cores. */
export function mp4VideoArgs(quality: Quality): string[] {
  return [
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-crf',
    String(X264_CRF[quality]),
    '-pix_fmt',
    'yuv420p',
  ];
}

export function mp4AudioArgs(): string[] {
  return ['-c:a', 'aac', '-b:a', '128k'];
}

/** Moves the index to the front so players can start before the whole file has arrived. */
export function mp4MuxerArgs(): string[] {
  return ['-movflags', '+faststart', '-f', 'mp4'];
}

/** VP9 in constant-quality mode (`-b:v 0`), which libvpx needs for `-crf` alone to rule. */
export function webmVideoArgs(quality: Quality): string[] {
  return [
    '-c:v',
    'libvpx-vp9',
    '-b:v',
    '0',
    '-crf',
    String(VP9_CRF[quality]),
    '-deadline',
    'realtime',
    '-cpu-used',
    String(VP9_CPU_USED[quality]),
    '-row-mt',
    '1',
    '-pix_fmt',
    'yuv420p',
  ];
}

export function webmAudioArgs(): string[] {
  return ['-c:a', 'libopus', '-b:a', '96k'];
}
