import { BadRequestException, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { nextPeriodStart, parsePeriod, periodName, periodStartOf } from './billing-period';
import { Clock } from './clock';
import { MeterUsageDto, UsageDto } from './dto/usage.dto';
import { isLevelMeter, Meter, METERS } from './meters';
import { SubscriptionsService } from './subscriptions.service';
import { UsersService } from '../users/users.service';

/** Each meter's count in the period; a level meter with none there carries its last one. */
const USED_IN_PERIOD = `
  SELECT m.meter, COALESCE(c.used, CASE WHEN m.meter = ANY($3::text[]) THEN (
      SELECT used FROM usage_counters e
      WHERE e.user_id = $1 AND e.meter = m.meter AND e.period_start < $2
      ORDER BY e.period_start DESC LIMIT 1) END, 0) AS used
  FROM unnest($4::text[]) AS m(meter)
  LEFT JOIN usage_counters c ON c.user_id = $1 AND c.period_start = $2 AND c.meter = m.meter`;

/** Read side of metering: per meter what was used in a period, against the current plan. */
@Injectable()
export class UsageReportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly subscriptions: SubscriptionsService,
    private readonly users: UsersService,
    private readonly clock: Clock,
  ) {}

  /** Another user's usage (staff): 404 when there is no such user. */
  async reportOfUser(userId: string, period?: string): Promise<UsageDto> {
    await this.users.get(userId);
    return this.report(userId, period);
  }

  /** `period` is `YYYY-MM`; the current period when absent. */
  async report(userId: string, period?: string): Promise<UsageDto> {
    const start = period ? parsePeriod(period) : periodStartOf(this.clock.now());
    if (!start) throw new BadRequestException('period must be a month as YYYY-MM.');
    const { plan } = await this.subscriptions.current(userId);
    const used = await this.usedIn(userId, start);
    return {
      period: periodName(start),
      periodStart: start,
      periodEnd: nextPeriodStart(start),
      meters: METERS.map((meter): MeterUsageDto => {
        const limit = plan.limits[meter] ?? null;
        return {
          meter,
          used: used[meter],
          limit,
          remaining: limit === null ? null : Math.max(0, limit - used[meter]),
        };
      }),
    };
  }

  async usedIn(userId: string, periodStart: Date, manager = this.dataSource.manager) {
    const rows = (await manager.query(USED_IN_PERIOD, [
      userId,
      periodStart,
      METERS.filter(isLevelMeter),
      METERS,
    ])) as { meter: Meter; used: string }[];
    return Object.fromEntries(rows.map((row) => [row.meter, Number(row.used)])) as Record<
      Meter,
      number
    >;
  }
}
