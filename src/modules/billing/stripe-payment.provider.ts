import { Logger, ServiceUnavailableException } from '@nestjs/common';
import Stripe from 'stripe';
import { AppConfig } from '../../config/app-config';
import { Checkout, CheckoutRequest, PaymentProvider } from './payment-provider';

type StripeSettings = NonNullable<AppConfig['billing']['stripe']>;

/** Where the client connects: Stripe's API, or STRIPE_API_URL (a proxy, or a test double). */
function endpoint(apiUrl: string | undefined): Stripe.StripeConfig {
  if (!apiUrl) return {};
  const url = new URL(apiUrl);
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  return { host: url.hostname, port: url.port || (protocol === 'http' ? 80 : 443), protocol };
}

/** Stripe Checkout for subscriptions; the plan's price goes to Stripe inline, so no Stripe setup is needed. */
export class StripePaymentProvider extends PaymentProvider {
  private readonly logger = new Logger(StripePaymentProvider.name);
  private readonly stripe: Stripe;

  constructor(private readonly settings: StripeSettings) {
    super();
    this.stripe = new Stripe(settings.secretKey, {
      maxNetworkRetries: 2,
      timeout: 20_000,
      telemetry: false,
      ...endpoint(settings.apiUrl),
    });
  }

  async createCheckout({ userId, email, plan, customerId }: CheckoutRequest): Promise<Checkout> {
    const metadata = { userId, planId: plan.id };
    const session = await this.call(() =>
      this.stripe.checkout.sessions.create({
        mode: 'subscription',
        client_reference_id: userId,
        ...(customerId ? { customer: customerId } : { customer_email: email }),
        line_items: [
          {
            quantity: 1,
            price_data: {
              currency: plan.currency,
              unit_amount: plan.priceCents,
              recurring: { interval: 'month' },
              product_data: { name: `Kiln ${plan.name}` },
            },
          },
        ],
        metadata,
        subscription_data: { metadata },
        success_url: this.settings.successUrl,
        cancel_url: this.settings.cancelUrl,
      }),
    );
    if (!session.url) throw this.unavailable(new Error('Stripe returned a session without a URL'));
    return { id: session.id, url: session.url };
  }

  async cancelSubscription(subscriptionId: string): Promise<void> {
    try {
      await this.stripe.subscriptions.cancel(subscriptionId);
    } catch (error) {
      // Already cancelled or gone at Stripe: nothing is charged any more, which is the point.
      if (error instanceof Stripe.errors.StripeInvalidRequestError && error.statusCode === 404)
        return;
      throw this.unavailable(error);
    }
  }

  private async call<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw this.unavailable(error);
    }
  }

  private unavailable(error: unknown): ServiceUnavailableException {
    this.logger.error({ err: error }, 'A Stripe request failed');
    return new ServiceUnavailableException(
      'The payment provider is unavailable; try again shortly.',
    );
  }
}
