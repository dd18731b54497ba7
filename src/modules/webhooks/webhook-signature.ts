import { createHmac, randomBytes } from 'node:crypto';

export const WEBHOOK_SECRET_PREFIX = 'whsec_';

/** A new signing secret: `whsec_` and 256 random bits, URL-safe base64. */
export function newWebhookSecret(): string {
  return `${WEBHOOK_SECRET_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/**
 * The hex HMAC-SHA256 of `<t>.<body>`, keyed with the secret exactly as the owner was shown it
 * (its UTF-8 bytes, `whsec_` included). Signing the timestamp with the body lets receivers refuse
 * replays of an old delivery.
 */
export function signWebhookBody(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex');
}

/** The `Kiln-Signature` header value: `t=<unix seconds>,v1=<hex signature>`. */
export function signatureHeader(secret: string, body: string, now = new Date()): string {
  const timestamp = Math.floor(now.getTime() / 1000);
  return `t=${timestamp},v1=${signWebhookBody(secret, timestamp, body)}`;
}
