import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';
import { nextPeriodStart } from '../billing-period';
import { Plan } from '../entities/plan.entity';
import { Subscription, SubscriptionStatus } from '../entities/subscription.entity';
import { PlanDto } from './plan.dto';

export class SubscriptionDto {
  @ApiProperty({ type: PlanDto })
  plan: PlanDto;

  @ApiProperty({ enum: SubscriptionStatus, enumName: 'SubscriptionStatus' })
  status: SubscriptionStatus;

  @ApiProperty({ description: 'Start of the period being counted (a calendar month, UTC)' })
  currentPeriodStart: Date;

  @ApiProperty({ description: 'When it ends and its invoice is written' })
  currentPeriodEnd: Date;

  @ApiProperty({
    type: 'integer',
    description: 'Credit left, in cents; it pays for use beyond the plan’s limits',
  })
  creditBalanceCents: number;

  @ApiProperty({ description: 'True when the plan is paid through Stripe' })
  paidThroughProvider: boolean;

  static from(subscription: Subscription & { plan: Plan }, periodStart: Date): SubscriptionDto {
    return {
      plan: PlanDto.from(subscription.plan),
      status: subscription.status,
      currentPeriodStart: periodStart,
      currentPeriodEnd: nextPeriodStart(periodStart),
      creditBalanceCents: subscription.creditBalanceCents,
      paidThroughProvider: subscription.stripeSubscriptionId !== null,
    };
  }
}

export class ChangePlanDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  planId: string;
}

/** 202: the plan changes once the payment is made there. */
export class CheckoutDto {
  @ApiProperty({ example: 'https://checkout.stripe.com/c/pay/cs_test_a1b2c3' })
  checkoutUrl: string;
}
