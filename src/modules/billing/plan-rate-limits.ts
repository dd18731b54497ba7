import { Injectable, OnModuleInit, Optional } from '@nestjs/common';
import { RateLimitPolicy } from '../../common/rate-limit/rate-limit.policy';
import { AppConfig } from '../../config/app-config';
import { PlanTierCache } from './plan-tier-cache';
import { RateLimitTier, TIER_MULTIPLIERS } from './rate-limit-tiers';
import { SubscriptionsService } from './subscriptions.service';

/**
 * Gives the rate-limit guard each caller's limit from their plan's tier. The guard asks on every
 * request, so a cached tier answers synchronously. Only where the API runs (and the policy is).
 */
@Injectable()
export class PlanRateLimits implements OnModuleInit {
  private readonly base: number;

  constructor(
    private readonly tiers: PlanTierCache,
    config: AppConfig,
    @Optional() private readonly policy?: RateLimitPolicy,
  ) {
    this.base = config.rateLimit.default;
  }

  onModuleInit(): void {
    this.policy?.useCallerLimit((user) => {
      const tier = this.tiers.tierOf(user.id, SubscriptionsService.DEFAULT_PLAN_CODE);
      return typeof tier === 'string' ? this.limitOf(tier) : tier.then((t) => this.limitOf(t));
    });
  }

  private limitOf(tier: RateLimitTier): number {
    return this.base * TIER_MULTIPLIERS[tier];
  }
}
