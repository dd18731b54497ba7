import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  ThrottlerModuleOptions,
  ThrottlerRequest,
  ThrottlerStorage,
} from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';
import { AuthenticatedUser } from '../auth/authenticated-user';
import { RATE_LIMIT_RULE, RateLimitRule } from './rate-limit.decorator';
import { RateLimitPolicy } from './rate-limit.policy';

type Request = FastifyRequest & { user?: AuthenticatedUser; body?: { email?: unknown } };

/**
 * Counts requests in Redis (so limits hold across instances): per user when signed in, per IP
 * otherwise, and per rule on routes that have one (login counts per IP and email). Runs after
 * authentication, so it knows the user.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    private readonly policy: RateLimitPolicy,
  ) {
    super(options, storage, reflector);
  }

  protected override async handleRequest(props: ThrottlerRequest): Promise<boolean> {
    const rule = this.reflector.get<RateLimitRule | undefined>(
      RATE_LIMIT_RULE,
      props.context.getHandler(),
    );
    const request = props.context.switchToHttp().getRequest<Request>();
    const { limit, ttlMs } = await this.policy.limitFor(rule, request.user);
    const tracker = trackerFor(rule, request);
    return super.handleRequest({
      ...props,
      limit,
      ttl: ttlMs,
      blockDuration: ttlMs,
      getTracker: () => tracker,
      generateKey: (_context: ExecutionContext, key: string) => key,
    });
  }
}

function trackerFor(rule: RateLimitRule | undefined, request: Request): string {
  if (rule === 'login') {
    const email = typeof request.body?.email === 'string' ? request.body.email.toLowerCase() : '';
    return `login:${request.ip}:${email}`;
  }
  if (rule) return `${rule}:${request.ip}`;
  return request.user ? `user:${request.user.id}` : `ip:${request.ip}`;
}
