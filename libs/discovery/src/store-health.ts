import { ConfigurableModuleBuilder, Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { HealthController } from './health.controller';
import { HealthCheckError, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';

/** One store an app depends on: its name (as shown in errors) and a cheap round trip to it. */
export interface StoreProbe {
  name: string;
  ping(): Promise<unknown>;
}

/** Options of the health module: the app's stores. */
export interface HealthOptions {
  probes: StoreProbe[];
}

export const { ConfigurableModuleClass: HealthModuleBase, MODULE_OPTIONS_TOKEN: HEALTH_OPTIONS } =
  new ConfigurableModuleBuilder<HealthOptions>()
    // `controller: false` for an app that serves `/health-check` itself (the registry does).
    .setExtras({ controller: true }, (definition, extras) => ({
      ...definition,
      controllers: extras.controller ? [HealthController] : [],
    }))
    .build();

/** The body of a healthy answer: every store named with its state. */
export interface HealthReport {
  status: 'ok';
  stores: Record<string, 'up'>;
}

/** Checks every store of the app; healthy only when all answer, otherwise a 503 naming the failing ones. */
@Injectable()
export class StoreHealth {
  constructor(
    @Inject(HEALTH_OPTIONS) private readonly options: HealthOptions,
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
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
            return indicator.down({ message: error instanceof Error ? error.message : String(error) });
          }
        }),
      );
      return { status: 'ok', stores: Object.fromEntries(Object.keys(result.details).map((k) => [k, 'up'])) };
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException || error instanceof HealthCheckError)) throw error;
      const down = this.options.probes.map((p) => p.name).filter((name) => this.isDown(error, name));
      throw new ServiceUnavailableException(`${down.join(', ') || 'a store'} unavailable`);
    }
  }

  private isDown(error: ServiceUnavailableException | HealthCheckError, name: string): boolean {
    const response = error instanceof ServiceUnavailableException ? error.getResponse() : (error.causes as unknown);
    const failures = (response as { error?: Record<string, unknown> }).error ?? {};
    return name in failures;
  }
}
