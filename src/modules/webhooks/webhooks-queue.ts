/** The Bull queue that carries deliveries to the worker; the database row is the truth. */
export const WEBHOOKS_QUEUE = 'webhooks';

/** A queued delivery: only its id; the processor reads everything else from its row. */
export interface DeliveryJob {
  deliveryId: string;
}
