import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { Actor } from '../../common/auth/authenticated-user';
import { Page, pageOffset, PageQueryDto, toPage } from '../../common/pagination/page-query.dto';
import { AuditService } from '../audit/audit.service';
import { UsersService } from '../users/users.service';
import { CreditEntry } from './entities/credit-entry.entity';
import { Meter } from './meters';
import { SubscriptionsService } from './subscriptions.service';

/** Overage to pay from a user's credits. */
export interface OverageCharge {
  userId: string;
  meter: Meter;
  period: Date;
  cents: number;
}

/**
 * `all-or-nothing`: pay the whole charge or nothing (a reservation that is refused otherwise);
 * `as-much-as-there-is`: pay what the balance allows (use that has already happened).
 */
export type ChargePolicy = 'all-or-nothing' | 'as-much-as-there-is';

const LOCK_BALANCE =
  'SELECT credit_balance_cents AS balance FROM subscriptions WHERE user_id = $1 FOR UPDATE';

const ADD_TO_BALANCE = `UPDATE subscriptions SET credit_balance_cents = credit_balance_cents + $2
  WHERE user_id = $1 RETURNING credit_balance_cents AS balance`;

/** The credit ledger: grants by admins, consumption by overage; the balance sits on the subscription. */
@Injectable()
export class CreditsService {
  constructor(
    @InjectRepository(CreditEntry) private readonly entries: Repository<CreditEntry>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly subscriptions: SubscriptionsService,
    private readonly users: UsersService,
    private readonly audit: AuditService,
  ) {}

  /** Adds credit to a user's balance (admins); audited with the entry. */
  async grant(actor: Actor, userId: string, amountCents: number, reason: string) {
    await this.users.get(userId);
    return this.dataSource.transaction(async (manager) => {
      await this.subscriptions.ensure(manager, userId);
      const [[{ balance }]] = (await manager.query(ADD_TO_BALANCE, [userId, amountCents])) as [
        { balance: string }[],
        number,
      ];
      const entry = await manager.save(
        manager.create(CreditEntry, {
          userId,
          amountCents,
          balanceAfterCents: Number(balance),
          reason,
          actorId: actor.id,
          meter: null,
          periodStart: null,
        }),
      );
      await this.audit.record(manager, actor, {
        action: 'credits.granted',
        targetType: 'user',
        targetId: userId,
        details: { amountCents, reason, balanceAfterCents: entry.balanceAfterCents },
      });
      return entry;
    });
  }

  /**
   * Pays overage from the balance inside the caller's transaction (the subscription row stays
   * locked until it ends); false when the policy is all-or-nothing and the balance is short.
   */
  async consume(manager: EntityManager, charge: OverageCharge, policy: ChargePolicy) {
    const [row] = (await manager.query(LOCK_BALANCE, [charge.userId])) as { balance: string }[];
    const balance = Number(row.balance);
    if (policy === 'all-or-nothing' && balance < charge.cents) return false;
    const paid = Math.min(balance, charge.cents);
    if (paid <= 0) return true;
    const [[after]] = (await manager.query(ADD_TO_BALANCE, [charge.userId, -paid])) as [
      { balance: string }[],
      number,
    ];
    await manager.insert(CreditEntry, {
      userId: charge.userId,
      amountCents: -paid,
      balanceAfterCents: Number(after.balance),
      reason: `Overage of ${charge.meter}`,
      actorId: null,
      meter: charge.meter,
      periodStart: charge.period,
    });
    return true;
  }

  /** Credits consumed by overage in a period: what its invoice applies. */
  async consumedIn(manager: EntityManager, userId: string, period: Date): Promise<number> {
    const [{ cents }] = (await manager.query(
      `SELECT COALESCE(-SUM(amount_cents), 0) AS cents FROM credit_ledger
       WHERE user_id = $1 AND period_start = $2 AND amount_cents < 0`,
      [userId, period],
    )) as { cents: string }[];
    return Number(cents);
  }

  /** A user's ledger, newest first. */
  async ledger(userId: string, query: PageQueryDto): Promise<Page<CreditEntry>> {
    const [data, total] = await this.entries.findAndCount({
      where: { userId },
      order: { createdAt: 'DESC', id: 'DESC' },
      skip: pageOffset(query),
      take: query.limit,
    });
    return toPage(data, total, query);
  }
}
