import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { HaproxyMembership } from '../haproxy/haproxy-membership';
import { RegistryMetrics } from '../metrics/registry-metrics';
import { REGISTRY_CONFIG, type RegistryConfig } from '../registry.config';
import { CheckHistory, InstanceStore } from '../store/registry-store';
import { CheckerLock } from './checker-lock';
import { HealthProbe, toCheckRecords, toOutcomes } from './health-probe';

const RECHECK = 'critical-recheck';

/**
 * Every HEALTH_RECHECK_CRITICAL_MS while any instance is critical, probes the critical ones, so a
 * recovered instance is passing again within seconds rather than a round later. It never prunes
 * (rounds do, seeing the whole membership), and it skips when a round or recheck is running here or
 * another registry holds the lease ({@link CheckerLock}).
 */
@Injectable()
export class CriticalRecheck implements OnApplicationBootstrap {
  private readonly logger = new Logger(CriticalRecheck.name);

  constructor(
    @Inject(REGISTRY_CONFIG) private readonly config: RegistryConfig,
    private readonly scheduler: SchedulerRegistry,
    private readonly probe: HealthProbe,
    private readonly instances: InstanceStore,
    private readonly checks: CheckHistory,
    private readonly lock: CheckerLock,
    private readonly haproxy: HaproxyMembership,
    private readonly metrics: RegistryMetrics,
  ) {}

  onApplicationBootstrap(): void {
    const timer = setInterval(
      () => void this.recheck().catch((e: Error) => this.logger.warn(`recheck failed: ${e.message}`)),
      this.config.HEALTH_RECHECK_CRITICAL_MS,
    );
    this.scheduler.addInterval(RECHECK, timer);
  }

  /** Probes the critical instances; returns how many are passing again, or undefined when skipped. */
  async recheck(): Promise<number | undefined> {
    // A read first, and only by the leader: with nothing critical (the usual case) nothing is written.
    if (!this.lock.leading) return undefined;
    if ((await this.critical()).length === 0) return 0;
    return this.lock.run(async () => {
      const probedAt = Date.now();
      const probed = await this.probe.probeAll(await this.critical());
      for (const { instance, result } of probed) this.metrics.check(instance.service_name, result.passed);
      const checkedAt = Date.now();
      const recovered = await this.instances.applyRecheck(
        toOutcomes(probed),
        this.config.HEALTH_SUCCESSES_BEFORE_PASSING,
        probedAt,
        this.lock.fence(),
      );
      await this.checks.append(toCheckRecords(probed, checkedAt), this.config.HEALTH_HISTORY_LIMIT);
      for (const instance of recovered)
        this.logger.log(`${instance.service_name} ${instance.url} is passing again`);
      if (recovered.length) {
        this.lock.fence();
        await this.haproxy.reconcile();
      }
      return recovered.length;
    }, false);
  }

  private async critical() {
    return (await this.instances.all()).filter((i) => i.status === 'critical' && i.maintenance === null);
  }
}
