import { Global, Module } from '@nestjs/common';
import { LifecycleService } from './lifecycle.service';
import { ReadinessChecks } from './readiness-checks';

@Global()
@Module({
  providers: [LifecycleService, ReadinessChecks],
  exports: [LifecycleService, ReadinessChecks],
})
export class LifecycleModule {}
