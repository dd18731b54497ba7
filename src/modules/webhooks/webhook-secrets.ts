import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { resealUnderCurrentKey } from '../../infra/crypto/reseal-under-current-key';
import { SecretBox } from '../../infra/crypto/secret-box';
import { Webhook } from './entities/webhook.entity';
import { WEBHOOK_SECRET_PREFIX } from './webhook-signature';

/**
 * Webhooks' signing secrets, stored sealed by the secret box for their webhook. A secret stored
 * before they were sealed is still its plain `whsec_…` string: used as it is, and sealed at start
 * by api processes with what earlier keys sealed. At start rather than on first use, so that a
 * webhook that never fires does not keep its secret in plain text; one an older replica writes
 * during a rolling deploy works meanwhile and is sealed at the next start.
 */
@Injectable()
export class WebhookSecrets implements OnApplicationBootstrap {
  private readonly logger = new Logger(WebhookSecrets.name);

  constructor(
    @InjectRepository(Webhook) private readonly webhooks: Repository<Webhook>,
    private readonly box: SecretBox,
    private readonly config: AppConfig,
  ) {}

  /** Where provider keys are re-sealed too: api processes, in the background. */
  onApplicationBootstrap(): void {
    if (!this.config.runsApi) return;
    this.sealStored().catch((error: Error) =>
      this.logger.error(`Sealing webhook secrets stopped: ${error.message}`),
    );
  }

  seal(webhookId: string, secret: string): string {
    return this.box.seal(secret, contextOf(webhookId));
  }

  /** The secret to sign with; throws SecretBoxError when the stored value does not open. */
  open({ id, secret }: Pick<Webhook, 'id' | 'secret'>): string {
    return this.plaintextOf(secret, contextOf(id));
  }

  private plaintextOf(stored: string, context: string): string {
    return stored.startsWith(WEBHOOK_SECRET_PREFIX) ? stored : this.box.open(stored, context);
  }

  private async sealStored(): Promise<void> {
    const { resealed, unreadable } = await resealUnderCurrentKey(this.box, {
      repository: this.webhooks,
      property: 'secret',
      contextOf: (webhook) => contextOf(webhook.id),
      plaintextOf: (stored, context) => this.plaintextOf(stored, context),
    });
    // Every start looks, so only a start that found something says so.
    if (resealed === 0 && unreadable === 0) return;
    this.logger.log(
      `Sealed ${resealed} webhook secret(s) under the current key; ${unreadable} unreadable`,
    );
  }
}

/** Binds a sealed secret to its webhook: copied into another webhook's row, it does not open. */
function contextOf(webhookId: string): string {
  return `webhook:${webhookId}`;
}
