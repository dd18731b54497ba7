/** Injection token of the module's settings, handed to WebhooksModule.forRoot(). */
export const WEBHOOKS_OPTIONS = Symbol('WEBHOOKS_OPTIONS');

export interface WebhooksOptions {
  /** Lets webhooks target private, loopback and other non-public addresses (development, tests). */
  allowPrivateTargets: boolean;
  /** How long one delivery attempt may take, connection and answer included. */
  timeoutMs: number;
  /** Attempts per delivery, the first one included. */
  maxAttempts: number;
  /** The first retry's delay; each further retry waits twice as long as the one before. */
  backoffMs: number;
}
