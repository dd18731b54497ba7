import { hashMarkedSlice, hashPair, hashString, mix } from './feature-hash';

describe('feature hashing', () => {
  it('computes the published FNV-1a 32-bit values', () => {
    expect(hashString('')).toBe(0x811c9dc5);
    expect(hashString('a')).toBe(0xe40c292c);
    expect(hashString('foobar')).toBe(0xbf9cf968);
  });

  it('hashes a slice of the marked word like the marked string itself', () => {
    const seed = hashString('seed');
    expect(hashMarkedSlice('cat', 0, 3, seed)).toBe(hashString('<ca', seed));
    expect(hashMarkedSlice('cat', 1, 3, seed)).toBe(hashString('cat', seed));
    expect(hashMarkedSlice('cat', 2, 3, seed)).toBe(hashString('at>', seed));
    expect(hashMarkedSlice('a', 0, 3, seed)).toBe(hashString('<a>', seed));
  });

  it('tells the order of a pair apart', () => {
    const [a, b] = [hashString('new'), hashString('york')];
    expect(hashPair(a, b, 1)).not.toBe(hashPair(b, a, 1));
  });

  it('answers unsigned 32-bit integers', () => {
    for (const value of [mix(0xffffffff), mix(1), hashPair(0xffffffff, 7, 3)]) {
      expect(Number.isInteger(value) && value >= 0 && value <= 0xffffffff).toBe(true);
    }
  });
});
