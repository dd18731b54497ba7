import { loadConfig } from '../../config/load-config';
import { WebhookDeliveryProcessor } from './webhook-delivery.processor';
import { WebhooksController } from './webhooks.controller';
import { WebhooksModule } from './webhooks.module';
import { WebhooksService } from './webhooks.service';

const options = { allowPrivateTargets: false, timeoutMs: 10_000, maxAttempts: 6, backoffMs: 2000 };

describe('WebhooksModule.forRoot', () => {
  it.each([
    ['all', [WebhooksController], true],
    ['api', [WebhooksController], false],
    ['worker', [], true],
  ])('in the %s role mounts %p, with the processor: %p', (role, controllers, processor) => {
    const module = WebhooksModule.forRoot(loadConfig({ APP_ROLE: role }), options);
    expect(module.controllers).toEqual(controllers);
    expect(module.providers?.includes(WebhookDeliveryProcessor)).toBe(processor);
    // publish() is needed wherever jobs end, so every role has it.
    expect(module.providers).toContain(WebhooksService);
    expect(module.exports).toContain(WebhooksService);
  });
});
