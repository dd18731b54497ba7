import { InjectQueue, Process, Processor } from '@nestjs/bull';
import { Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bull';
import { BILLING_QUEUE, CLOSE_PERIODS_CRON, CLOSE_PERIODS_JOB } from './billing-queue';
import { InvoicesService } from './invoices.service';

/**
 * In workers: a repeatable Bull job that closes ended periods and writes their invoices. Every
 * worker registers it; Bull keeps one repeat per name and schedule, so it runs once per tick.
 */
@Processor(BILLING_QUEUE)
export class BillingPeriodsProcessor implements OnApplicationBootstrap {
  private readonly logger = new Logger(BillingPeriodsProcessor.name);

  constructor(
    @InjectQueue(BILLING_QUEUE) private readonly queue: Queue,
    private readonly invoices: InvoicesService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queue
      .add(
        CLOSE_PERIODS_JOB,
        {},
        {
          repeat: { cron: CLOSE_PERIODS_CRON, tz: 'UTC' },
          removeOnComplete: true,
          removeOnFail: 100,
        },
      )
      .catch((error: Error) =>
        this.logger.error(`Could not schedule the closing of billing periods: ${error.message}`),
      );
  }

  @Process(CLOSE_PERIODS_JOB)
  async closePeriods(): Promise<number> {
    const written = await this.invoices.closeDuePeriods();
    if (written) this.logger.log(`Closed billing periods: ${written} invoice(s) written`);
    return written;
  }
}
