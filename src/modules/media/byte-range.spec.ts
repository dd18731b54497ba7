import { parseByteRange } from './byte-range';

describe('parseByteRange', () => {
  it.each([
    ['bytes=0-9', { start: 0, end: 9 }],
    ['bytes=10-', { start: 10, end: 99 }],
    ['bytes=-10', { start: 90, end: 99 }],
    ['bytes=-500', { start: 0, end: 99 }],
    ['bytes=90-200', { start: 90, end: 99 }],
  ])('reads %s of a 100-byte file', (header, range) => {
    expect(parseByteRange(header, 100)).toEqual(range);
  });

  it.each(['bytes=100-', 'bytes=50-10', 'bytes=-0'])('calls %s unsatisfiable', (header) => {
    expect(parseByteRange(header, 100)).toBe('unsatisfiable');
  });

  it.each([undefined, '', 'bytes=-', 'items=0-1', 'bytes=0-1,5-6', 'bytes=a-b'])(
    'serves the whole file for %j',
    (header) => {
      expect(parseByteRange(header, 100)).toBeUndefined();
    },
  );
});
