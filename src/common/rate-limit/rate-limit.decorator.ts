import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiTooManyRequestsResponse } from '@nestjs/swagger';

/** The tighter limits some public routes have on top of, or instead of, the per-caller one. */
export type RateLimitRule = 'login' | 'register' | 'password-reset';

export const RATE_LIMIT_RULE = 'kiln:rateLimitRule';

export const RateLimit = (rule: RateLimitRule): MethodDecorator =>
  applyDecorators(
    SetMetadata(RATE_LIMIT_RULE, rule),
    ApiTooManyRequestsResponse({ description: 'Too many attempts; see Retry-After' }),
  );
