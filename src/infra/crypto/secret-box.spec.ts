import { randomBytes } from 'node:crypto';
import { SecretBox, SecretBoxError } from './secret-box';

const CONTEXT = 'provider-key:owner-1:chat';

/** `sealed` with one part changed (0: format, 1: key id, 2: IV, 3: tag, 4: ciphertext). */
function withPart(sealed: string, index: number, change: (part: string) => string): string {
  const parts = sealed.split('.');
  parts[index] = change(parts[index]);
  return parts.join('.');
}

/** The base64url text with its first byte's bits flipped. */
function flipped(part: string): string {
  const bytes = Buffer.from(part, 'base64url');
  bytes[0] ^= 0xff;
  return bytes.toString('base64url');
}

describe('SecretBox', () => {
  const key = randomBytes(32);
  const box = new SecretBox(key);

  it('opens what it sealed', () => {
    for (const secret of ['sk-proj-0123456789abcdef', 'ünïcødé 🔑', '']) {
      expect(box.open(box.seal(secret, CONTEXT), CONTEXT)).toBe(secret);
    }
  });

  it('keeps the plaintext out of the sealed value, which names its format and key', () => {
    const sealed = box.seal('sk-live-plaintext-secret', CONTEXT);
    expect(sealed).not.toContain('sk-live');
    expect(sealed.startsWith(box.prefix)).toBe(true);
    expect(sealed).toMatch(/^v1\.[0-9a-f]{8}(\.[A-Za-z0-9_-]+){3}$/);
  });

  it('uses a fresh IV each time, so the same secret never seals the same way twice', () => {
    const sealed = Array.from({ length: 20 }, () => box.seal('same secret', CONTEXT));
    expect(new Set(sealed).size).toBe(sealed.length);
    expect(new Set(sealed.map((value) => value.split('.')[2])).size).toBe(sealed.length);
  });

  it.each([
    ['ciphertext', 4],
    ['tag', 3],
    ['IV', 2],
  ])('rejects a value whose %s was altered', (_, index) => {
    const sealed = withPart(box.seal('sk-secret-value', CONTEXT), index, flipped);
    expect(() => box.open(sealed, CONTEXT)).toThrow(SecretBoxError);
  });

  it('rejects a value sealed for another record', () => {
    const sealed = box.seal('sk-secret-value', CONTEXT);
    expect(() => box.open(sealed, 'provider-key:owner-2:chat')).toThrow(SecretBoxError);
  });

  it('rejects a value sealed under another key', () => {
    const other = new SecretBox(randomBytes(32));
    const sealed = other.seal('sk-secret-value', CONTEXT);
    expect(() => box.open(sealed, CONTEXT)).toThrow('not configured');
    // Claiming this box's key id does not help: the tag does not verify under the wrong key.
    const disguised = withPart(sealed, 1, () => box.prefix.split('.')[1]);
    expect(() => box.open(disguised, CONTEXT)).toThrow('altered');
  });

  it.each(['', 'plaintext', 'v2.abcdef01.a.b.c', 'v1.abcdef01.a.b', 'v1.x.a.b.c.d'])(
    'rejects %j, which it never sealed',
    (value) => {
      expect(() => box.open(value, CONTEXT)).toThrow(SecretBoxError);
    },
  );

  it('opens values sealed under a previous key, and seals only under the current one', () => {
    const sealedBefore = box.seal('sk-from-before-rotation', CONTEXT);
    const rotated = new SecretBox(randomBytes(32), [key]);
    expect(rotated.hasPreviousKeys).toBe(true);
    expect(sealedBefore.startsWith(rotated.prefix)).toBe(false);
    expect(rotated.open(sealedBefore, CONTEXT)).toBe('sk-from-before-rotation');
    expect(rotated.seal('sk-new', CONTEXT).startsWith(rotated.prefix)).toBe(true);
    expect(box.hasPreviousKeys).toBe(false);
  });

  it('refuses a key that is not 32 bytes', () => {
    expect(() => new SecretBox(randomBytes(16))).toThrow(RangeError);
    expect(() => new SecretBox(key, [randomBytes(31)])).toThrow(RangeError);
  });
});
