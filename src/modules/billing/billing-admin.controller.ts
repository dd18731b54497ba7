import { Body, Controller, Get, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor } from '../../common/auth/authenticated-user';
import { CurrentActor } from '../../common/auth/current-user.decorator';
import { UserRole } from '../../common/auth/role';
import { Roles } from '../../common/auth/roles.decorator';
import { UuidParam } from '../../common/http/uuid-param';
import { CreditsService } from './credits.service';
import { CreditEntryDto, GrantCreditsDto } from './dto/credits.dto';
import { PlanDto, UpdatePlanDto } from './dto/plan.dto';
import { UsageDto, UsageQuery } from './dto/usage.dto';
import { PlansService } from './plans.service';
import { UsageReportService } from './usage-report.service';

/** Plans and credits are the admins'; operators may read a user's usage (support), not change it. */
@ApiTags('billing')
@Controller('billing')
export class BillingAdminController {
  constructor(
    private readonly plans: PlansService,
    private readonly credits: CreditsService,
    private readonly usage: UsageReportService,
  ) {}

  @Put('plans/:id')
  @Roles(UserRole.Admin)
  @ApiOperation({
    summary: 'Replace a plan’s terms (admins); audited, applies to its users at once',
  })
  @ApiOkResponse({ type: PlanDto })
  async updatePlan(
    @CurrentActor() actor: Actor,
    @UuidParam() id: string,
    @Body() body: UpdatePlanDto,
  ): Promise<PlanDto> {
    return PlanDto.from(await this.plans.update(actor, id, body));
  }

  @Post('users/:id/credits')
  @Roles(UserRole.Admin)
  @ApiOperation({ summary: 'Grant a user credit, in cents (admins); audited' })
  @ApiCreatedResponse({ type: CreditEntryDto })
  async grantCredits(
    @CurrentActor() actor: Actor,
    @UuidParam() id: string,
    @Body() body: GrantCreditsDto,
  ): Promise<CreditEntryDto> {
    return CreditEntryDto.from(await this.credits.grant(actor, id, body.amount, body.reason));
  }

  @Get('users/:id/usage')
  @Roles(UserRole.Admin, UserRole.Operator)
  @ApiOperation({ summary: 'A user’s usage per meter in a period (admins and operators)' })
  @ApiOkResponse({ type: UsageDto })
  userUsage(@UuidParam() id: string, @Query() query: UsageQuery): Promise<UsageDto> {
    return this.usage.reportOfUser(id, query.period);
  }
}
