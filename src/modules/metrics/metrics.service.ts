import { Injectable } from '@nestjs/common';
import { Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Owns this application's Prometheus registry (one per app, so test apps never collide). */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  private readonly httpDuration = new Histogram({
    name: 'kiln_http_request_duration_seconds',
    help: 'HTTP request duration by route pattern, method and status code',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  // Children are cached per label set: prom-client hashes the labels on every observe otherwise.
  private readonly httpDurationChildren = new Map<string, { observe(value: number): void }>();

  observeRequest(route: string, method: string, status: number, seconds: number): void {
    const key = `${method} ${status} ${route}`;
    let child = this.httpDurationChildren.get(key);
    if (!child) {
      child = this.httpDuration.labels({ route, method, status: String(status) });
      this.httpDurationChildren.set(key, child);
    }
    child.observe(seconds);
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}
