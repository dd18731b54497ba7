import type { Quality, Resolution, RunOptions } from '../../media-toolkit/media-toolkit';

export interface GenerationRequest {
  prompt: string;
  model?: string;
  resolution: Resolution;
  quality: Quality;
  durationSec: number;
}

/** Turns a prompt into a video file at `outputPath` (MP4). */
export abstract class GenerationProvider {
  abstract readonly name: string;
  abstract generate(
    request: GenerationRequest,
    outputPath: string,
    options: RunOptions,
  ): Promise<void>;
}
