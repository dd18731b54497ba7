/** The events a webhook may subscribe to (API.md, webhooks). */
export const WEBHOOK_EVENTS = ['job.completed', 'job.failed', 'job.cancelled'] as const;

export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];
