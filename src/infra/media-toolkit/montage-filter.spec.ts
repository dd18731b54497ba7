import { montageFilter } from './montage-filter';

describe('montageFilter', () => {
  const frame = { width: 854, height: 480 };

  it('fits every input into the frame and gives clips without audio their own silence', () => {
    const graph = montageFilter(
      [
        { durationSec: 2, hasAudio: true },
        { durationSec: 1.5, hasAudio: false },
      ],
      frame,
      true,
    );
    expect(graph).toContain('[1:v:0]scale=854:480:force_original_aspect_ratio=decrease');
    expect(graph).toContain('anullsrc=r=48000:cl=stereo,atrim=duration=1.500[a1]');
    expect(graph).toMatch(/\[v0\]\[a0\]\[v1\]\[a1\]concat=n=2:v=1:a=1\[v\]\[a\]$/);
  });

  it('joins pictures only when no input has audio', () => {
    const graph = montageFilter(
      [{ durationSec: 2, hasAudio: false }, { hasAudio: false }],
      frame,
      false,
    );
    expect(graph).not.toContain('anullsrc');
    expect(graph).toMatch(/\[v0\]\[v1\]concat=n=2:v=1:a=0\[v\]$/);
  });
});
