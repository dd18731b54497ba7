import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { Strategy } from 'passport-custom';
import { AuthenticatedUser } from '../../../common/auth/authenticated-user';
import { ApiKeysService, API_KEY_PREFIX } from '../api-keys.service';

/** Reads `X-API-Key: kiln_…` or `Authorization: Bearer kiln_…`. */
function presentedKey(request: FastifyRequest): string | undefined {
  const header = request.headers['x-api-key'];
  if (typeof header === 'string') return header;
  const authorization = request.headers.authorization;
  if (authorization?.startsWith(`Bearer ${API_KEY_PREFIX}`)) return authorization.slice(7);
  return undefined;
}

@Injectable()
export class ApiKeyStrategy extends PassportStrategy(Strategy, 'api-key') {
  constructor(private readonly apiKeys: ApiKeysService) {
    super();
  }

  async validate(request: FastifyRequest): Promise<AuthenticatedUser | false> {
    const key = presentedKey(request);
    if (!key) return false;
    return (await this.apiKeys.authenticate(key, request.method)) ?? false;
  }
}
