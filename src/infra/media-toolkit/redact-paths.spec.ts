import { redactPaths } from './redact-paths';

describe('redactPaths', () => {
  it('reduces absolute paths to file names', () => {
    expect(redactPaths('file:/srv/kiln/storage/ab/input.mp4: Invalid data found')).toBe(
      'input.mp4: Invalid data found',
    );
    expect(redactPaths("Error opening '/tmp/x/out.mp4' for writing")).toBe(
      "Error opening 'out.mp4' for writing",
    );
  });

  it('replaces known paths whole, spaces and all', () => {
    const known = '/data/my media/clip one.mp4';
    expect(redactPaths(`file:${known}: No such file or directory`, [known])).toBe(
      'clip one.mp4: No such file or directory',
    );
  });

  it('leaves ratios, codec names and relative names alone', () => {
    const text = 'Stream #0:0: Video: h264, 1/25 tb, and/or x/y.mp4';
    expect(redactPaths(text)).toBe(text);
  });
});
