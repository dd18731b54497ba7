import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Actor, AuthenticatedUser } from '../../common/auth/authenticated-user';
import { assertCanWrite } from '../../common/auth/ownership';
import { UsersService } from '../users/users.service';
import { ApiKeyScope } from './api-key-scope';
import { ApiKey } from './entities/api-key.entity';
import { toAuthenticatedUser } from './identity';
import { randomSecret, sha256Hex } from './secret-token';

export const API_KEY_PREFIX = 'kiln_';
const DISPLAY_PREFIX_LENGTH = 12;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
// lastUsedAt is a hint for people, not an audit trail: one write a minute per key is enough.
const LAST_USED_RESOLUTION_MS = 60_000;

export interface NewApiKey {
  name: string;
  scopes?: ApiKeyScope[];
  expiresAt?: Date;
}

@Injectable()
export class ApiKeysService {
  constructor(
    @InjectRepository(ApiKey) private readonly keys: Repository<ApiKey>,
    private readonly users: UsersService,
  ) {}

  /** Creates a key; the secret is returned here once and stored only as a hash. */
  async create(userId: string, input: NewApiKey): Promise<{ apiKey: ApiKey; key: string }> {
    const key = `${API_KEY_PREFIX}${randomSecret(32)}`;
    const apiKey = await this.keys.save(
      this.keys.create({
        userId,
        name: input.name,
        prefix: key.slice(0, DISPLAY_PREFIX_LENGTH),
        keyHash: sha256Hex(key),
        scopes: input.scopes?.length ? [...new Set(input.scopes)] : Object.values(ApiKeyScope),
        expiresAt: input.expiresAt ?? null,
      }),
    );
    return { apiKey, key };
  }

  list(userId: string): Promise<ApiKey[]> {
    return this.keys.find({ where: { userId }, order: { createdAt: 'DESC' } });
  }

  async remove(actor: Pick<Actor, 'id' | 'role'>, id: string): Promise<void> {
    const apiKey = await this.keys.findOneBy({ id });
    if (!apiKey) throw new NotFoundException('No such API key.');
    assertCanWrite(actor, apiKey.userId);
    await this.keys.delete({ id });
  }

  /** The caller a key stands for, or null when the key is unknown or expired. */
  async authenticate(key: string, method: string): Promise<AuthenticatedUser | null> {
    const apiKey = await this.keys.findOneBy({ keyHash: sha256Hex(key) });
    if (!apiKey || (apiKey.expiresAt && apiKey.expiresAt <= new Date())) return null;
    const caller = toAuthenticatedUser(await this.users.findIdentity(apiKey.userId), {
      kind: 'api-key',
      apiKeyId: apiKey.id,
    });
    const needed = SAFE_METHODS.has(method) ? ApiKeyScope.Read : ApiKeyScope.Write;
    if (!apiKey.scopes.includes(needed)) {
      throw new ForbiddenException(`This API key lacks the "${needed}" scope.`);
    }
    if (!apiKey.lastUsedAt || Date.now() - apiKey.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
      await this.keys.update({ id: apiKey.id }, { lastUsedAt: new Date() });
    }
    return caller;
  }
}
