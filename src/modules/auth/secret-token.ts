import { createHash, randomBytes } from 'node:crypto';

/** A random secret for refresh tokens, reset tokens and API keys (256 bits, URL-safe). */
export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/**
 * Secrets are stored only as SHA-256. They are random and long, so a fast hash is enough,
 * and it lets a lookup use a unique index instead of comparing against every row.
 */
export function sha256Hex(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
