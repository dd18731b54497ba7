/**
 * A plan's rate-limit tier multiplies the per-caller limit of the configuration
 * (RATE_LIMIT_DEFAULT): so the configuration keeps its meaning for the base tier, and tiers
 * scale with it.
 */
export enum RateLimitTier {
  Standard = 'standard',
  Elevated = 'elevated',
  Premium = 'premium',
}

export const TIER_MULTIPLIERS: Record<RateLimitTier, number> = {
  [RateLimitTier.Standard]: 1,
  [RateLimitTier.Elevated]: 5,
  [RateLimitTier.Premium]: 20,
};
