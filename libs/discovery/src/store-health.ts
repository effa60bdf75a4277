import { Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { StoreErrorMetrics } from '@app/metrics';
import { HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { HEALTH_OPTIONS, type HealthOptions } from './health.options';
import type { HealthReport } from './health-report.view';

/** Checks every store of the app; healthy only when all answer, otherwise a 503 naming the failing ones. */
@Injectable()
export class StoreHealth {
  constructor(
    @Inject(HEALTH_OPTIONS) private readonly options: HealthOptions,
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly storeErrors: StoreErrorMetrics,
  ) {}

  async check(): Promise<HealthReport> {
    try {
      const result = await this.health.check(
        this.options.probes.map((probe) => async () => {
          const indicator = this.indicators.check(probe.name);
          try {
            await probe.ping();
            return indicator.up();
          } catch (error) {
            this.storeErrors.count(probe.name);
            return indicator.down({ message: error instanceof Error ? error.message : String(error) });
          }
        }),
      );
      return { status: 'ok', stores: Object.fromEntries(Object.keys(result.details).map((k) => [k, 'up'])) };
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      const down = this.options.probes.map((p) => p.name).filter((name) => this.isDown(error, name));
      throw new ServiceUnavailableException(`${down.join(', ') || 'a store'} unavailable`);
    }
  }

  private isDown(error: ServiceUnavailableException, name: string): boolean {
    const failures = (error.getResponse() as { error?: Record<string, unknown> }).error ?? {};
    return name in failures;
  }
}
