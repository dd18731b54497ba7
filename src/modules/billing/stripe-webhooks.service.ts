import { BadRequestException, Injectable, Logger, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { isUUID } from 'class-validator';
import Stripe from 'stripe';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { StripeEvent } from './entities/stripe-event.entity';
import { SubscriptionStatus } from './entities/subscription.entity';
import { PaymentProvider } from './payment-provider';
import { ProviderSubscription, SubscriptionsService } from './subscriptions.service';
import { UsersService } from '../users/users.service';

/** What applying an event changed, for the work that follows its commit. */
interface Effects {
  userId: string | null;
  /** A provider subscription the event replaced, to be cancelled so it is not charged again. */
  replaced?: string | null;
}

/** Stripe's statuses as Kiln keeps them; `ended` sends the user back to the default plan. */
const STATUSES: Record<Stripe.Subscription.Status, SubscriptionStatus | 'ended'> = {
  active: SubscriptionStatus.Active,
  trialing: SubscriptionStatus.Active,
  past_due: SubscriptionStatus.PastDue,
  unpaid: SubscriptionStatus.PastDue,
  incomplete: SubscriptionStatus.PastDue,
  paused: SubscriptionStatus.PastDue,
  canceled: 'ended',
  incomplete_expired: 'ended',
};

const idOf = (value: string | { id: string } | null | undefined): string | null =>
  typeof value === 'string' ? value : (value?.id ?? null);

const uuidOrNull = (value: string | null | undefined): string | null =>
  value && isUUID(value) ? value : null;

/**
 * POST /billing/webhooks/stripe: the signature is checked over the raw body with Stripe's own
 * code, then the event is applied once: its id goes into an inbox table in the transaction
 * that applies it, so a redelivery finds it there and changes nothing.
 */
@Injectable()
export class StripeWebhooksService {
  private readonly logger = new Logger(StripeWebhooksService.name);
  private readonly secret?: string;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly subscriptions: SubscriptionsService,
    private readonly users: UsersService,
    config: AppConfig,
    @Optional() private readonly payments?: PaymentProvider,
  ) {
    this.secret = config.billing.stripeWebhookSecret;
  }

  async receive(
    rawBody: Buffer | undefined,
    signature: string | undefined,
  ): Promise<{ received: true; duplicate: boolean }> {
    const event = this.verify(rawBody, signature);
    // Read before the transaction, which should hold no second connection of the pool.
    const checkout =
      event.type === 'checkout.session.completed'
        ? await this.paidCheckout(event.data.object)
        : null;
    const effects = await this.dataSource.transaction(async (manager) => {
      const inbox = await manager
        .createQueryBuilder()
        .insert()
        .into(StripeEvent)
        .values({ id: event.id, type: event.type, payload: event })
        .orIgnore()
        .returning('id')
        .execute();
      if ((inbox.raw as unknown[]).length === 0) return null;
      return this.apply(manager, event, checkout);
    });
    if (!effects) return { received: true, duplicate: true };
    if (effects.userId) await this.subscriptions.forgetTier(effects.userId);
    if (effects.replaced) await this.cancelReplaced(effects.replaced);
    return { received: true, duplicate: false };
  }

  private verify(rawBody: Buffer | undefined, signature: string | undefined): Stripe.Event {
    if (!this.secret) throw new BadRequestException('Stripe webhooks are not configured.');
    if (!rawBody?.length || !signature) {
      throw new BadRequestException('A signed Stripe event is expected (Stripe-Signature).');
    }
    try {
      return Stripe.webhooks.constructEvent(rawBody, signature, this.secret);
    } catch {
      throw new BadRequestException('The Stripe-Signature header does not verify this body.');
    }
  }

  /** Checkout completion and subscription changes; other events are kept in the inbox only. */
  private async apply(
    manager: EntityManager,
    event: Stripe.Event,
    checkout: ProviderSubscription | null,
  ): Promise<Effects> {
    switch (event.type) {
      case 'checkout.session.completed':
        if (!checkout) return { userId: null };
        return {
          userId: checkout.userId,
          replaced: await this.subscriptions.startPaid(manager, checkout),
        };
      case 'customer.subscription.updated': {
        const subscription = event.data.object;
        const status = STATUSES[subscription.status];
        if (status === 'ended') {
          return { userId: await this.subscriptions.providerEnded(manager, subscription.id) };
        }
        const planId = uuidOrNull(subscription.metadata?.planId) ?? undefined;
        return {
          userId: await this.subscriptions.providerUpdated(manager, subscription.id, {
            planId,
            status,
          }),
        };
      }
      case 'customer.subscription.deleted':
        return {
          userId: await this.subscriptions.providerEnded(manager, event.data.object.id),
        };
      default:
        return { userId: null };
    }
  }

  /** The plan a completed checkout paid for, when it is one of Kiln's for an existing user. */
  private async paidCheckout(
    session: Stripe.Checkout.Session,
  ): Promise<ProviderSubscription | null> {
    const userId = uuidOrNull(session.metadata?.userId ?? session.client_reference_id);
    const planId = uuidOrNull(session.metadata?.planId);
    const subscriptionId = idOf(session.subscription);
    if (session.mode !== 'subscription' || !userId || !planId || !subscriptionId) {
      this.logger.warn(`Checkout session ${session.id} is not one of Kiln's plan checkouts`);
      return null;
    }
    if (!(await this.users.findById(userId))) {
      this.logger.warn(`Checkout session ${session.id} names user ${userId}, who does not exist`);
      return null;
    }
    return { userId, planId, customerId: idOf(session.customer), subscriptionId };
  }

  /** After the commit: the event is applied whatever happens here, so a failure is logged. */
  private async cancelReplaced(subscriptionId: string): Promise<void> {
    if (!this.payments) {
      this.logger.warn(`Stripe subscription ${subscriptionId} was replaced; cancel it at Stripe`);
      return;
    }
    await this.payments.cancelSubscription(subscriptionId).catch((error: Error) => {
      this.logger.error(
        `Could not cancel replaced Stripe subscription ${subscriptionId}: ${error.message}`,
      );
    });
  }
}
