import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { LifecycleService } from '../../infra/lifecycle/lifecycle.service';

/** Down while the process drains, so a load balancer stops sending it traffic. */
@Injectable()
export class LifecycleHealthIndicator {
  constructor(
    private readonly lifecycle: LifecycleService,
    private readonly indicator: HealthIndicatorService,
  ) {}

  check(key: string) {
    const check = this.indicator.check(key);
    return this.lifecycle.isDraining ? check.down({ message: 'shutting down' }) : check.up();
  }
}
