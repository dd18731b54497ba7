import {
  ConflictException,
  Injectable,
  Logger,
  NotFoundException,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { resealUnderCurrentKey } from '../../infra/crypto/reseal-under-current-key';
import { SecretBox, SecretBoxError } from '../../infra/crypto/secret-box';
import { ProviderKey } from './entities/provider-key.entity';
import { ProviderKind } from './provider-kind';

/**
 * Users' own provider keys ("bring your own key"): stored sealed, shown only by their last four
 * characters, and handed to the providers for that user's requests.
 */
@Injectable()
export class ProviderKeysService implements OnApplicationBootstrap {
  private readonly logger = new Logger(ProviderKeysService.name);
  /** Which providers call a service with a key; the built-in local ones take none. */
  private readonly takesKey: Record<ProviderKind, boolean>;

  constructor(
    @InjectRepository(ProviderKey) private readonly keys: Repository<ProviderKey>,
    private readonly box: SecretBox,
    config: AppConfig,
  ) {
    this.takesKey = {
      [ProviderKind.Chat]: config.chat.http !== undefined,
      [ProviderKind.Embeddings]: config.embeddings.http !== undefined,
    };
  }

  /** After a key rotation, moves what earlier keys sealed under the current one, unhurried. */
  onApplicationBootstrap(): void {
    if (!this.box.hasPreviousKeys) return;
    this.resealUnderCurrentKey().catch((error: Error) =>
      this.logger.error(`Re-encrypting provider keys stopped: ${error.message}`),
    );
  }

  list(ownerId: string): Promise<ProviderKey[]> {
    return this.keys.find({ where: { ownerId }, order: { provider: 'ASC' } });
  }

  /** Stores the key, replacing any the owner had for this provider. */
  async store(ownerId: string, provider: ProviderKind, key: string): Promise<ProviderKey> {
    await this.keys.upsert(
      {
        ownerId,
        provider,
        ciphertext: this.box.seal(key, contextOf(ownerId, provider)),
        lastFour: key.slice(-4),
      },
      ['ownerId', 'provider'],
    );
    return this.keys.findOneByOrFail({ ownerId, provider });
  }

  async remove(ownerId: string, provider: ProviderKind): Promise<void> {
    const { affected } = await this.keys.delete({ ownerId, provider });
    if (!affected) throw new NotFoundException(`You have no ${provider} key stored.`);
  }

  /**
   * The user's own key for the provider, or undefined: none stored, or the configured provider
   * is a built-in one that takes no key (and then the database is not asked).
   */
  async keyFor(userId: string, provider: ProviderKind): Promise<string | undefined> {
    if (!this.takesKey[provider]) return undefined;
    const stored = await this.keys.findOneBy({ ownerId: userId, provider });
    if (!stored) return undefined;
    try {
      return this.box.open(stored.ciphertext, contextOf(userId, provider));
    } catch (error) {
      if (!(error instanceof SecretBoxError)) throw error;
      // Never the service's key instead: the user meant their requests to go on their own.
      this.logger.error(`The ${provider} key of user ${userId} does not open: ${error.message}`);
      throw new ConflictException(
        `Your stored ${provider} key can no longer be read; store it again.`,
      );
    }
  }

  /** Seals again, under the current key, every stored key sealed under an earlier one. */
  private async resealUnderCurrentKey(): Promise<void> {
    const { resealed, unreadable } = await resealUnderCurrentKey(this.box, {
      repository: this.keys,
      property: 'ciphertext',
      contextOf: (stored) => contextOf(stored.ownerId, stored.provider),
    });
    this.logger.log(
      `Re-encrypted ${resealed} provider key(s) under the current key; ${unreadable} unreadable`,
    );
  }
}

/** Binds a sealed key to its row: copied into another user's row, it does not open. */
function contextOf(ownerId: string, provider: ProviderKind): string {
  return `provider-key:${ownerId}:${provider}`;
}
