import { Injectable, Logger, NotFoundException } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, LessThan, MoreThan, Repository } from 'typeorm';
import { Actor } from '../../common/auth/authenticated-user';
import { assertCanRead } from '../../common/auth/ownership';
import { Page, pageOffset, PageQueryDto, toPage } from '../../common/pagination/page-query.dto';
import { nextPeriodStart, periodStartOf } from './billing-period';
import { Clock } from './clock';
import { CreditsService } from './credits.service';
import { InvoiceLine } from './entities/invoice-line.entity';
import { Invoice } from './entities/invoice.entity';
import { Plan } from './entities/plan.entity';
import { Subscription } from './entities/subscription.entity';
import { invoiceFor } from './invoice-lines';
import { UsageReportService } from './usage-report.service';

const BATCH = 500;

/** Invoices, and the closing of periods that writes them. */
@Injectable()
export class InvoicesService {
  private readonly logger = new Logger(InvoicesService.name);

  constructor(
    @InjectRepository(Invoice) private readonly invoices: Repository<Invoice>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly usage: UsageReportService,
    private readonly credits: CreditsService,
    private readonly clock: Clock,
  ) {}

  /** The caller's invoices, newest first, without their lines. */
  async list(userId: string, query: PageQueryDto): Promise<Page<Invoice>> {
    const [data, total] = await this.invoices.findAndCount({
      where: { userId },
      order: { periodStart: 'DESC', id: 'DESC' },
      skip: pageOffset(query),
      take: query.limit,
    });
    return toPage(data, total, query);
  }

  async get(caller: Pick<Actor, 'id' | 'role'>, id: string): Promise<Invoice> {
    const invoice = await this.invoices.findOne({
      where: { id },
      relations: { lines: true },
      order: { lines: { position: 'ASC' } },
    });
    if (!invoice) throw new NotFoundException('No such invoice.');
    assertCanRead(caller, invoice.userId);
    return invoice;
  }

  /**
   * Closes every period that ended before `now`, for every subscription: what the repeatable
   * job runs. Safe to run any number of times, on any number of workers; returns how many
   * invoices it wrote.
   */
  async closeDuePeriods(now = this.clock.now()): Promise<number> {
    const current = periodStartOf(now);
    let written = 0;
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const due = await this.dataSource.getRepository(Subscription).find({
        select: { userId: true },
        where: { currentPeriodStart: LessThan(current), userId: MoreThan(after) },
        order: { userId: 'ASC' },
        take: BATCH,
      });
      for (const { userId } of due) {
        try {
          written += await this.closeDuePeriodsOf(userId, now);
        } catch (error) {
          this.logger.error({ err: error, userId }, 'Could not close a billing period');
        }
      }
      if (due.length < BATCH) return written;
      after = due[due.length - 1].userId;
    }
  }

  /** Closes the user's periods that ended before `now`, oldest first, one invoice each. */
  async closeDuePeriodsOf(userId: string, now = this.clock.now()): Promise<number> {
    const current = periodStartOf(now);
    let written = 0;
    while (await this.dataSource.transaction((manager) => this.closeOne(manager, userId, current)))
      written++;
    return written;
  }

  /**
   * Writes the invoice of the user's oldest open period and opens the next one, with the
   * subscription locked, so two closers never both write it; false when nothing is due.
   */
  private async closeOne(manager: EntityManager, userId: string, current: Date): Promise<boolean> {
    const subscription = await manager.findOne(Subscription, {
      where: { userId, currentPeriodStart: LessThan(current) },
      lock: { mode: 'pessimistic_write' },
    });
    if (!subscription) return false;
    const plan = await manager.findOneByOrFail(Plan, { id: subscription.planId });
    const start = subscription.currentPeriodStart;
    const end = nextPeriodStart(start);
    const computed = invoiceFor({
      plan,
      used: await this.usage.usedIn(userId, start, manager),
      creditsConsumedCents: await this.credits.consumedIn(manager, userId, start),
    });
    const inserted = await manager
      .createQueryBuilder()
      .insert()
      .into(Invoice)
      .values({
        userId,
        periodStart: start,
        periodEnd: end,
        planId: subscription.planId,
        planName: plan.name,
        currency: plan.currency,
        subtotalCents: computed.subtotalCents,
        creditsAppliedCents: computed.creditsAppliedCents,
        totalCents: computed.totalCents,
      })
      .orIgnore()
      .returning('id')
      .execute();
    const invoiceId = (inserted.raw as { id: string }[])[0]?.id;
    if (invoiceId) {
      await manager.insert(
        InvoiceLine,
        computed.lines.map((line, position) => ({ ...line, invoiceId, position })),
      );
    }
    await manager.update(Subscription, { id: subscription.id }, { currentPeriodStart: end });
    return true;
  }
}
