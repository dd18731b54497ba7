import { escapeFilterValue, layoutPrompt, sceneFilter, wrapText } from './scene';

describe('wrapText', () => {
  it('wraps words into lines of at most the given length', () => {
    expect(wrapText('a red fox jumps over the lazy dog', 10, 10)).toBe(
      'a red fox\njumps over\nthe lazy\ndog',
    );
  });

  it('turns control characters into spaces and splits words longer than a line', () => {
    expect(wrapText('tab\there\r\nnew abcdefghijkl', 5, 10)).toBe(
      'tab\nhere\nnew\nabcde\nfghij\nkl',
    );
  });

  it('ends with an ellipsis when the lines run out', () => {
    expect(wrapText('one two three four five six', 9, 2)).toBe('one two\nthree…');
  });

  it('counts characters, not UTF-16 units', () => {
    expect(wrapText('🔥🔥🔥🔥', 2, 5)).toBe('🔥🔥\n🔥🔥');
  });
});

describe('layoutPrompt', () => {
  it('fits a long prompt into a bounded number of lines', () => {
    const lines = layoutPrompt('word '.repeat(2000), { width: 854, height: 480 }).split('\n');
    expect(lines.length).toBeLessThanOrEqual(12);
    expect(lines.at(-1)).toMatch(/…$/);
  });
});

describe('escapeFilterValue', () => {
  it('escapes for the option parser and then for the filtergraph parser', () => {
    expect(escapeFilterValue("/f/a:b'c")).toBe("/f/a\\\\:b\\\\\\'c");
    expect(escapeFilterValue('/f/[x],y;z')).toBe('/f/\\[x\\]\\,y\\;z');
  });
});

describe('sceneFilter', () => {
  const frame = { width: 1280, height: 720 };

  it('depends only on the prompt', () => {
    expect(sceneFilter('a fox', frame)).toBe(sceneFilter('a fox', frame));
    expect(sceneFilter('a fox', frame)).not.toBe(sceneFilter('a dog', frame));
  });

  it('draws the text from a file, with expansion off, only when given text', () => {
    expect(sceneFilter('a fox', frame)).not.toContain('drawtext');
    const withText = sceneFilter('a fox', frame, { textFile: '/t/p.txt', fontPath: '/f/a.ttf' });
    expect(withText).toContain('textfile=/t/p.txt:expansion=none');
    expect(withText).not.toContain('a fox');
  });
});
