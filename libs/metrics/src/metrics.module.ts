import { type DynamicModule, Module } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { HttpMetrics } from './http-metrics';
import { MetricsController } from './metrics.controller';
import { StoreErrorMetrics } from './store-error-metrics';

const LINT_FAILING_DEFAULTS = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
];

/** What an app says about its metrics. */
export interface MetricsOptions {
  /** False: no `GET /metrics`, no request timing, no process collectors (to measure their cost). */
  enabled: boolean;
}

/**
 * An app's Prometheus metrics: one prom-client Registry (injectable as `Registry`, for the app's own
 * metrics), HTTP request metrics, store errors, process metrics, and `GET /metrics` serving them.
 */
@Module({})
export class MetricsModule {
  static forRoot({ enabled }: MetricsOptions): DynamicModule {
    const registry = new Registry();
    if (enabled) collectDefaultMetrics({ register: registry });
    // Gauges named like counters, which `promtool check metrics` rejects; the same figures remain,
    // by type, in nodejs_active_handles, nodejs_active_requests and nodejs_active_resources.
    for (const name of LINT_FAILING_DEFAULTS) registry.removeSingleMetric(name);
    return {
      module: MetricsModule,
      global: true,
      controllers: enabled ? [MetricsController] : [],
      providers: [
        { provide: Registry, useValue: registry },
        {
          provide: HttpMetrics,
          inject: [HttpAdapterHost],
          useFactory: (host: HttpAdapterHost) => new HttpMetrics(registry, host, enabled),
        },
        StoreErrorMetrics,
      ],
      exports: [Registry, StoreErrorMetrics],
    };
  }
}
