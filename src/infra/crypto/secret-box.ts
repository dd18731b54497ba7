import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const FORMAT = 'v1';
const CIPHER = 'aes-256-gcm';
const KEY_BYTES = 32;
/** GCM's recommended nonce size; random, so a key may seal about 2^32 values safely. */
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A sealed value that does not open: malformed, under a key no longer configured, or altered. */
export class SecretBoxError extends Error {
  override readonly name = 'SecretBoxError';
}

/**
 * Seals secrets that Kiln must store and use again (provider keys, webhook secrets) with
 * AES-256-GCM. A sealed value is one string, `v1.<key id>.<iv>.<tag>.<ciphertext>` (base64url parts, the key
 * id being the start of the key's SHA-256), so values sealed under earlier keys still open while
 * those keys are listed as previous ones: the key can be rotated without a flag day. `context`
 * names the record a value belongs to and is authenticated with it, so a value copied into
 * another record does not open there.
 */
export class SecretBox {
  /** How every value sealed now begins; one that begins otherwise is under an earlier key. */
  readonly prefix: string;
  readonly hasPreviousKeys: boolean;
  private readonly currentKey: Buffer;
  private readonly currentKeyId: string;
  private readonly keys = new Map<string, Buffer>();

  constructor(currentKey: Buffer, previousKeys: Buffer[] = []) {
    for (const key of [currentKey, ...previousKeys]) {
      if (key.length !== KEY_BYTES) {
        throw new RangeError(`An encryption key must be ${KEY_BYTES} bytes, not ${key.length}`);
      }
      this.keys.set(keyIdOf(key), key);
    }
    this.currentKey = currentKey;
    this.currentKeyId = keyIdOf(currentKey);
    this.prefix = `${FORMAT}.${this.currentKeyId}.`;
    this.hasPreviousKeys = this.keys.size > 1;
  }

  seal(plaintext: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(CIPHER, this.currentKey, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(associatedData(this.currentKeyId, context));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const parts = [iv, cipher.getAuthTag(), ciphertext].map((part) => part.toString('base64url'));
    return [FORMAT, this.currentKeyId, ...parts].join('.');
  }

  /** The plaintext, once the tag proves the value is as sealed, for this context. */
  open(sealed: string, context: string): string {
    const [format, keyId, iv, tag, ciphertext, ...rest] = sealed.split('.');
    if (format !== FORMAT || ciphertext === undefined || rest.length > 0) {
      throw new SecretBoxError('This is not a value the secret box sealed');
    }
    const key = this.keys.get(keyId);
    if (!key) throw new SecretBoxError(`The value was sealed under key ${keyId}, not configured`);
    const ivBytes = Buffer.from(iv, 'base64url');
    const tagBytes = Buffer.from(tag, 'base64url');
    if (ivBytes.length !== IV_BYTES || tagBytes.length !== TAG_BYTES) {
      throw new SecretBoxError('This is not a value the secret box sealed');
    }
    const decipher = createDecipheriv(CIPHER, key, ivBytes, { authTagLength: TAG_BYTES });
    decipher.setAAD(associatedData(keyId, context));
    decipher.setAuthTag(tagBytes);
    try {
      const plaintext = decipher.update(Buffer.from(ciphertext, 'base64url'));
      return Buffer.concat([plaintext, decipher.final()]).toString('utf8');
    } catch {
      throw new SecretBoxError('The value was altered, or sealed for another record');
    }
  }
}

/** Eight hex digits: enough to tell a handful of keys apart, far too few to learn anything. */
function keyIdOf(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

/** The format and key id are authenticated too, so neither can be changed unnoticed. */
function associatedData(keyId: string, context: string): Buffer {
  return Buffer.from(`${FORMAT}.${keyId}.${context}`, 'utf8');
}
