import { displayName } from './upload-receiver';

describe('displayName', () => {
  it.each([
    ['clip.mp4', 'clip.mp4'],
    ['../../etc/passwd', 'passwd'],
    ['C:\\Users\\ada\\movie.mov', 'movie.mov'],
    ['bad\u0000name\n.mp4', 'badname.mp4'],
    ['   ', 'upload'],
    [undefined, 'upload'],
    ['x'.repeat(300), 'x'.repeat(255)],
  ])('turns %j into %j', (input, expected) => {
    expect(displayName(input)).toBe(expected);
  });
});
