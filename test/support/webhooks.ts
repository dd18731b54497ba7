import { createHmac } from 'node:crypto';
import { DataSource } from 'typeorm';
import { WebhookEvent } from '../../src/modules/webhooks/webhook-events';
import { WebhooksService } from '../../src/modules/webhooks/webhooks.service';
import { TestApp } from './test-app';
import { ReceivedRequest } from './webhook-receiver';

/** An event as a finishing job sends it: its deliveries written in a transaction, then queued. */
export async function publish(
  app: TestApp,
  ownerId: string,
  event: WebhookEvent,
  data: object,
): Promise<string[]> {
  const webhooks = app.app.get(WebhooksService);
  const deliveries = await app.app
    .get(DataSource)
    .transaction((manager) => webhooks.recordEvent(manager, ownerId, event, data));
  await webhooks.queueDeliveries(deliveries);
  return deliveries;
}

/** Verifies a delivery's Kiln-Signature the way a receiver would, without Kiln's code. */
export function expectSignedWith(request: ReceivedRequest, secret: string): void {
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(request.headers['kiln-signature']));
  expect(match).not.toBeNull();
  const [, timestamp, signature] = match!;
  const expected = createHmac('sha256', secret)
    .update(`${timestamp}.${request.body}`)
    .digest('hex');
  expect(signature).toBe(expected);
  expect(Math.abs(Date.now() / 1000 - Number(timestamp))).toBeLessThan(60);
}
