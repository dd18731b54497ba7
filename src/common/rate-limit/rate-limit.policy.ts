import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { AuthenticatedUser } from '../auth/authenticated-user';
import { RateLimitRule } from './rate-limit.decorator';

/** How many requests per window a caller gets: the hook through which plans set their tier. */
export type CallerLimitResolver = (user: AuthenticatedUser) => number | Promise<number>;

export interface Limit {
  limit: number;
  ttlMs: number;
}

/**
 * The limits of every rule, from configuration. The per-caller limit of signed-in users comes
 * from a resolver, so billing can install one that reads the caller's plan tier.
 */
@Injectable()
export class RateLimitPolicy {
  private callerLimit: CallerLimitResolver;

  constructor(private readonly config: AppConfig) {
    this.callerLimit = () => config.rateLimit.default;
  }

  useCallerLimit(resolver: CallerLimitResolver): void {
    this.callerLimit = resolver;
  }

  async limitFor(
    rule: RateLimitRule | undefined,
    user: AuthenticatedUser | undefined,
  ): Promise<Limit> {
    const { windowSec, login, register, passwordReset } = this.config.rateLimit;
    const ttlMs = windowSec * 1000;
    switch (rule) {
      case 'login':
        return { limit: login, ttlMs };
      case 'register':
        return { limit: register, ttlMs };
      case 'password-reset':
        return { limit: passwordReset, ttlMs };
      default:
        return {
          limit: user ? await this.callerLimit(user) : this.config.rateLimit.default,
          ttlMs,
        };
    }
  }
}
