import { Injectable, Logger, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Actor } from '../../common/auth/authenticated-user';
import { AuditService } from '../audit/audit.service';
import { UsersService } from '../users/users.service';
import { periodStartOf } from './billing-period';
import { Clock } from './clock';
import { Plan } from './entities/plan.entity';
import { Subscription, SubscriptionStatus } from './entities/subscription.entity';
import { PaymentProvider } from './payment-provider';
import { PlanTierCache } from './plan-tier-cache';
import { PlansService } from './plans.service';

export type CurrentSubscription = Subscription & { plan: Plan };

/** What a plan change led to: the new subscription, or a checkout to pay for it first. */
export type PlanChange =
  | { kind: 'changed'; subscription: CurrentSubscription }
  | { kind: 'checkout'; checkoutUrl: string };

/** What the payment provider reports about a user's paid subscription. */
export interface ProviderSubscription {
  userId: string;
  planId: string;
  customerId: string | null;
  subscriptionId: string;
}

const ENSURE = `INSERT INTO subscriptions (user_id, plan_id, current_period_start)
  SELECT $1, id, $2 FROM plans WHERE code = $3
  ON CONFLICT (user_id) DO NOTHING`;

/**
 * Every user has exactly one subscription. It is made on first need, on the default plan, with
 * an upsert (see docs/DECISIONS.md): so users made any way (registration, admin bootstrap, the
 * command line) have one, and no other module has to create it.
 */
@Injectable()
export class SubscriptionsService {
  static readonly DEFAULT_PLAN_CODE = 'free';
  private readonly logger = new Logger(SubscriptionsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly plans: PlansService,
    private readonly users: UsersService,
    private readonly audit: AuditService,
    private readonly tiers: PlanTierCache,
    private readonly clock: Clock,
    @Optional() private readonly payments?: PaymentProvider,
  ) {}

  /** Makes the user's subscription, on the default plan, unless they have one. */
  async ensure(manager: EntityManager, userId: string): Promise<void> {
    await manager.query(ENSURE, [
      userId,
      periodStartOf(this.clock.now()),
      SubscriptionsService.DEFAULT_PLAN_CODE,
    ]);
  }

  async current(userId: string, manager = this.dataSource.manager): Promise<CurrentSubscription> {
    await this.ensure(manager, userId);
    return (await manager.findOneOrFail(Subscription, {
      where: { userId },
      relations: { plan: true },
    })) as CurrentSubscription;
  }

  /**
   * Moves the caller to another plan: at once when it is free or no payment provider is
   * configured, otherwise through the provider's checkout (the plan changes when it reports
   * the payment). A move to a free plan stops the provider's recurring charge first.
   */
  async change(actor: Actor, planId: string): Promise<PlanChange> {
    const plan = await this.plans.get(planId);
    const subscription = await this.current(actor.id);
    if (subscription.planId === plan.id) return { kind: 'changed', subscription };
    if (this.payments && plan.priceCents > 0) {
      const user = await this.users.get(actor.id);
      const checkout = await this.payments.createCheckout({
        userId: actor.id,
        email: user.email,
        plan,
        customerId: subscription.stripeCustomerId,
      });
      return { kind: 'checkout', checkoutUrl: checkout.url };
    }
    if (subscription.stripeSubscriptionId && this.payments) {
      await this.payments.cancelSubscription(subscription.stripeSubscriptionId);
    }
    const changed = await this.switchPlan(actor, actor.id, plan, {
      stripeSubscriptionId: null,
      status: SubscriptionStatus.Active,
    });
    return { kind: 'changed', subscription: changed };
  }

  /**
   * A checkout of an existing user was paid: the user is on the plan, billed by the provider.
   * Returns the provider subscription it replaces, which the caller cancels so the user is not
   * charged twice.
   */
  async startPaid(manager: EntityManager, paid: ProviderSubscription): Promise<string | null> {
    const plan = await manager.findOneBy(Plan, { id: paid.planId });
    if (!plan) {
      this.logger.warn(`A paid checkout names plan ${paid.planId}, which does not exist`);
      return null;
    }
    const before = (await this.lock(manager, paid.userId))!;
    await this.apply(manager, null, before, plan, {
      status: SubscriptionStatus.Active,
      stripeCustomerId: paid.customerId ?? before.stripeCustomerId,
      stripeSubscriptionId: paid.subscriptionId,
    });
    const replaced = before.stripeSubscriptionId;
    return replaced && replaced !== paid.subscriptionId ? replaced : null;
  }

  /**
   * The provider's subscription changed: its plan (from the metadata Kiln gave it) or its
   * standing. Returns the user it belongs to; null when Kiln does not know it.
   */
  async providerUpdated(
    manager: EntityManager,
    subscriptionId: string,
    update: { planId?: string; status: SubscriptionStatus },
  ): Promise<string | null> {
    const before = await this.lockByProviderId(manager, subscriptionId);
    if (!before) return null;
    const plan =
      (update.planId && (await manager.findOneBy(Plan, { id: update.planId }))) ||
      (await manager.findOneByOrFail(Plan, { id: before.planId }));
    await this.apply(manager, null, before, plan, { status: update.status });
    return before.userId;
  }

  /** The provider's subscription ended: back to the default plan. Returns its user, if known. */
  async providerEnded(manager: EntityManager, subscriptionId: string): Promise<string | null> {
    const before = await this.lockByProviderId(manager, subscriptionId);
    if (!before) return null;
    const plan = await manager.findOneByOrFail(Plan, {
      code: SubscriptionsService.DEFAULT_PLAN_CODE,
    });
    await this.apply(manager, null, before, plan, {
      status: SubscriptionStatus.Active,
      stripeSubscriptionId: null,
    });
    return before.userId;
  }

  /** Drops cached tiers once a change made in `manager`'s transaction is committed. */
  forgetTier(userId: string): Promise<void> {
    return this.tiers.invalidate(userId);
  }

  private async switchPlan(
    actor: Actor,
    userId: string,
    plan: Plan,
    changes: Partial<Subscription>,
  ): Promise<CurrentSubscription> {
    const changed = await this.dataSource.transaction(async (manager) => {
      const before = (await this.lock(manager, userId))!;
      await this.apply(manager, actor, before, plan, changes);
      return this.current(userId, manager);
    });
    await this.tiers.invalidate(userId);
    return changed;
  }

  private async apply(
    manager: EntityManager,
    actor: Actor | null,
    before: Subscription,
    plan: Plan,
    changes: Partial<Subscription>,
  ): Promise<void> {
    await manager.update(Subscription, { id: before.id }, { ...changes, planId: plan.id });
    if (before.planId === plan.id) return;
    await this.audit.record(manager, actor, {
      action: 'subscription.plan_changed',
      targetType: 'user',
      targetId: before.userId,
      details: { from: before.planId, to: plan.id, via: actor ? 'api' : 'payment provider' },
    });
  }

  private async lock(manager: EntityManager, userId: string): Promise<Subscription | null> {
    await this.ensure(manager, userId);
    return manager.findOne(Subscription, {
      where: { userId },
      lock: { mode: 'pessimistic_write' },
    });
  }

  private lockByProviderId(manager: EntityManager, subscriptionId: string) {
    return manager.findOne(Subscription, {
      where: { stripeSubscriptionId: subscriptionId },
      lock: { mode: 'pessimistic_write' },
    });
  }
}
