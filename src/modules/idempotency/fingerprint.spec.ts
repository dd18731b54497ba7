import { canonicalJson, fingerprintOf } from './fingerprint';

describe('request fingerprints', () => {
  it('ignore key order and undefined members at every level', () => {
    expect(fingerprintOf({ a: 1, b: { c: [1, { e: 2, d: 3 }] }, x: undefined })).toBe(
      fingerprintOf({ b: { c: [1, { d: 3, e: 2 }] }, a: 1 }),
    );
  });

  it('tell different values apart, array order included', () => {
    expect(fingerprintOf({ a: [1, 2] })).not.toBe(fingerprintOf({ a: [2, 1] }));
    expect(fingerprintOf({ a: '1' })).not.toBe(fingerprintOf({ a: 1 }));
  });

  it('write dates as ISO strings and null for nothing', () => {
    expect(canonicalJson({ at: new Date('2026-01-02T03:04:05Z'), none: null })).toBe(
      '{"at":"2026-01-02T03:04:05.000Z","none":null}',
    );
  });
});
