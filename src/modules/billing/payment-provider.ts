import { Plan } from './entities/plan.entity';

export interface CheckoutRequest {
  userId: string;
  email: string;
  plan: Plan;
  /** The provider's customer, when the user has paid before. */
  customerId: string | null;
}

export interface Checkout {
  id: string;
  /** Where the user pays; the plan changes when the provider reports the payment. */
  url: string;
}

/**
 * Takes payments for paid plans. Present only when one is configured (STRIPE_SECRET_KEY);
 * without one, plan changes take effect at once.
 */
export abstract class PaymentProvider {
  abstract createCheckout(request: CheckoutRequest): Promise<Checkout>;

  /** Stops the provider's recurring charge (a move to a free plan, or a replaced subscription). */
  abstract cancelSubscription(subscriptionId: string): Promise<void>;
}
