import { nestsDeeperThan, unstorableTextPaths } from './input-checks';

const nested = (depth: number): unknown =>
  JSON.parse(`${'{"a":['.repeat(depth)}1${']}'.repeat(depth)}`);

describe('nestsDeeperThan', () => {
  it('counts each object and array as a level', () => {
    expect(nestsDeeperThan({ a: [1] }, 2)).toBe(false);
    expect(nestsDeeperThan({ a: [[1]] }, 2)).toBe(true);
    expect(nestsDeeperThan('text', 0)).toBe(false);
  });

  it('looks at every member, not only the first', () => {
    expect(nestsDeeperThan({ a: 1, b: { c: { d: {} } } }, 3)).toBe(true);
  });

  it('copes with nesting far past the stack of a recursive walk', () => {
    expect(nestsDeeperThan(nested(50_000), 64)).toBe(true);
    expect(nestsDeeperThan(nested(10), 64)).toBe(false);
  });
});

describe('unstorableTextPaths', () => {
  it('names the strings and keys that hold NUL or half a surrogate pair', () => {
    expect(
      unstorableTextPaths({
        email: 'x\udc00y',
        name: 'a\u0000b',
        tags: ['ok', 'bad\ud800'],
        meta: { ['k\u0000']: 1 },
      }).sort(),
    ).toEqual(['email', 'meta.k\u0000', 'name', 'tags.1']);
  });

  it('lets whole surrogate pairs, other Unicode and non-strings through', () => {
    expect(unstorableTextPaths({ a: '👩‍👩‍👧‍👦 مرحبا \u200B', b: 1, c: null, d: [true] })).toEqual([]);
  });

  it('names the root when the input is a lone string', () => {
    expect(unstorableTextPaths('\u0000', 'body')).toEqual(['body']);
  });
});
