import { FrameSize } from './resolutions';

export const MONTAGE_FPS = 30;

export interface MontageSource {
  durationSec?: number;
  hasAudio: boolean;
}

// concat pads a segment's shorter audio with silence (except in the last segment), so a short
// stub of silence is enough when a clip's length is unknown; atrim=0 would mean "no limit".
const MIN_SILENCE_SEC = 0.04;

/**
 * The filtergraph that joins the inputs in order: each picture fitted inside the frame and padded
 * (letterbox or pillarbox) at one frame rate, each clip's audio brought to one layout, and clips
 * without audio given silence of their own length so the sound stays in step with the picture.
 * Its outputs are `[v]` and, when `withAudio`, `[a]`.
 */
export function montageFilter(
  sources: readonly MontageSource[],
  frame: FrameSize,
  withAudio: boolean,
): string {
  const { width, height } = frame;
  const chains: string[] = [];
  const segments: string[] = [];
  sources.forEach((source, index) => {
    chains.push(
      `[${index}:v:0]scale=${width}:${height}:force_original_aspect_ratio=decrease,` +
        `pad=${width}:${height}:(ow-iw)/2:(oh-ih)/2,setsar=1,fps=${MONTAGE_FPS},format=yuv420p[v${index}]`,
    );
    segments.push(`[v${index}]`);
    if (!withAudio) return;
    const silence = Math.max(source.durationSec ?? 0, MIN_SILENCE_SEC).toFixed(3);
    chains.push(
      source.hasAudio
        ? `[${index}:a:0]aformat=sample_rates=48000:channel_layouts=stereo[a${index}]`
        : `anullsrc=r=48000:cl=stereo,atrim=duration=${silence}[a${index}]`,
    );
    segments.push(`[a${index}]`);
  });
  const outputs = withAudio ? '[v][a]' : '[v]';
  chains.push(
    `${segments.join('')}concat=n=${sources.length}:v=1:a=${withAudio ? 1 : 0}${outputs}`,
  );
  return chains.join(';');
}
