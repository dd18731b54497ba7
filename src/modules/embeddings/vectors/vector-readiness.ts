import { Injectable, OnModuleInit } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { ReadinessChecks } from '../../../infra/lifecycle/readiness-checks';
import { VectorSearch } from './vector-search';

/** Adds `vectors` to readiness: which path serves searches; the database check covers the rest. */
@Injectable()
export class VectorReadiness implements OnModuleInit {
  constructor(
    private readonly vectors: VectorSearch,
    private readonly readiness: ReadinessChecks,
    private readonly indicator: HealthIndicatorService,
  ) {}

  onModuleInit(): void {
    this.readiness.add(() =>
      Promise.resolve(this.indicator.check('vectors').up({ ...this.vectors.report })),
    );
  }
}
