import { Body, Controller, Get, HttpStatus, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Actor, AuthenticatedUser } from '../../common/auth/authenticated-user';
import { CurrentActor, CurrentUser } from '../../common/auth/current-user.decorator';
import { Public } from '../../common/auth/public.decorator';
import { UuidParam } from '../../common/http/uuid-param';
import { ApiPageResponse } from '../../common/pagination/api-page-response';
import { Page, PageQueryDto } from '../../common/pagination/page-query.dto';
import { periodStartOf } from './billing-period';
import { Clock } from './clock';
import { CreditsService } from './credits.service';
import { CreditEntryDto } from './dto/credits.dto';
import { InvoiceDto } from './dto/invoice.dto';
import { PlanDto } from './dto/plan.dto';
import { ChangePlanDto, CheckoutDto, SubscriptionDto } from './dto/subscription.dto';
import { UsageDto, UsageQuery } from './dto/usage.dto';
import { InvoicesService } from './invoices.service';
import { PlansService } from './plans.service';
import { SubscriptionsService } from './subscriptions.service';
import { UsageReportService } from './usage-report.service';

@ApiTags('billing')
@Controller('billing')
export class BillingController {
  constructor(
    private readonly plans: PlansService,
    private readonly subscriptions: SubscriptionsService,
    private readonly usage: UsageReportService,
    private readonly credits: CreditsService,
    private readonly invoices: InvoicesService,
    private readonly clock: Clock,
  ) {}

  @Get('plans')
  @Public()
  @ApiOperation({ summary: 'The plans: monthly price, limit per meter, overage prices, rate tier' })
  @ApiOkResponse({ type: [PlanDto] })
  async listPlans(): Promise<PlanDto[]> {
    return (await this.plans.list()).map(PlanDto.from);
  }

  @Get('subscription')
  @ApiOperation({ summary: 'The caller’s plan, current period and credit balance' })
  @ApiOkResponse({ type: SubscriptionDto })
  async subscription(@CurrentUser() caller: AuthenticatedUser): Promise<SubscriptionDto> {
    return this.toDto(await this.subscriptions.current(caller.id));
  }

  @Post('subscription')
  @ApiOperation({
    summary: 'Change plan',
    description:
      'Takes effect at once (200) for a free plan or when no payment provider is configured; ' +
      'otherwise answers 202 with the Stripe Checkout page where the plan is paid for, and ' +
      'the plan changes when Stripe reports the payment.',
  })
  @ApiOkResponse({ type: SubscriptionDto })
  @ApiAcceptedResponse({ type: CheckoutDto })
  async changePlan(
    @CurrentActor() actor: Actor,
    @Body() body: ChangePlanDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SubscriptionDto | CheckoutDto> {
    const change = await this.subscriptions.change(actor, body.planId);
    if (change.kind === 'checkout') {
      void reply.status(HttpStatus.ACCEPTED);
      return { checkoutUrl: change.checkoutUrl };
    }
    void reply.status(HttpStatus.OK);
    return this.toDto(change.subscription);
  }

  @Get('usage')
  @ApiOperation({
    summary: 'Per meter: used, limit and remaining in a period (the current one by default)',
  })
  @ApiOkResponse({ type: UsageDto })
  usageOf(@CurrentUser() caller: AuthenticatedUser, @Query() query: UsageQuery): Promise<UsageDto> {
    return this.usage.report(caller.id, query.period);
  }

  @Get('credits')
  @ApiOperation({ summary: 'The caller’s credit ledger, newest first: grants and overage paid' })
  @ApiPageResponse(CreditEntryDto)
  async creditLedger(
    @CurrentUser() caller: AuthenticatedUser,
    @Query() query: PageQueryDto,
  ): Promise<Page<CreditEntryDto>> {
    const page = await this.credits.ledger(caller.id, query);
    return { ...page, data: page.data.map(CreditEntryDto.from) };
  }

  @Get('invoices')
  @ApiOperation({ summary: 'The caller’s invoices, newest period first' })
  @ApiPageResponse(InvoiceDto)
  async listInvoices(
    @CurrentUser() caller: AuthenticatedUser,
    @Query() query: PageQueryDto,
  ): Promise<Page<InvoiceDto>> {
    const page = await this.invoices.list(caller.id, query);
    return { ...page, data: page.data.map(InvoiceDto.from) };
  }

  @Get('invoices/:id')
  @ApiOperation({ summary: 'One invoice with its lines: plan price, usage per meter, credits' })
  @ApiOkResponse({ type: InvoiceDto })
  async invoice(
    @CurrentUser() caller: AuthenticatedUser,
    @UuidParam() id: string,
  ): Promise<InvoiceDto> {
    return InvoiceDto.from(await this.invoices.get(caller, id));
  }

  private toDto(subscription: Awaited<ReturnType<SubscriptionsService['current']>>) {
    return SubscriptionDto.from(subscription, periodStartOf(this.clock.now()));
  }
}
