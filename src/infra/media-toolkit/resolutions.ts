export type Resolution = '480p' | '720p' | '1080p' | '2160p';

export interface FrameSize {
  width: number;
  height: number;
}

/** 16:9 frames; transcode uses only the height and keeps the input's aspect ratio. */
export const FRAME_SIZES: Readonly<Record<Resolution, FrameSize>> = {
  '480p': { width: 854, height: 480 },
  '720p': { width: 1280, height: 720 },
  '1080p': { width: 1920, height: 1080 },
  '2160p': { width: 3840, height: 2160 },
};
