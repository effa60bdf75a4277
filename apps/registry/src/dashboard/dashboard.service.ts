import { Inject, Injectable } from '@nestjs/common';
import { ChecksService } from '../checker/checks.service';
import { HaproxyStats } from '../haproxy/haproxy-stats';
import { HaproxyTargets } from '../haproxy/haproxy-targets';
import { InstancesService } from '../instances/instances.service';
import { REGISTRY_CONFIG, type RegistryConfig } from '../registry.config';
import { type DashboardView, toDashboardView } from './dto/dashboard.view';

/** Checks kept per instance for its latency history on the page. */
const CHECKS_PER_INSTANCE = 20;
const ROUNDS_SHOWN = 8;

/** The dashboard's state: the registry's view (instances, checks, rounds) beside HAProxy's. */
@Injectable()
export class DashboardService {
  constructor(
    @Inject(REGISTRY_CONFIG) private readonly config: RegistryConfig,
    private readonly instances: InstancesService,
    private readonly checks: ChecksService,
    private readonly haproxy: HaproxyStats,
    private readonly targets: HaproxyTargets,
  ) {}

  async state(): Promise<DashboardView> {
    // HAProxy first: the registry's side is read after it, so it is never the older of the two.
    const servers = await this.haproxy.servers();
    const [instances, checks, rounds] = await Promise.all([
      this.instances.all(),
      this.checks.latestPerInstance(CHECKS_PER_INSTANCE),
      this.checks.recentRounds(ROUNDS_SHOWN),
    ]);
    return toDashboardView({
      instances,
      checks,
      servers,
      rounds,
      haproxies: this.targets.statuses(),
      check_interval_ms: this.config.HEALTH_CHECK_INTERVAL_MS,
      check_timeout_ms: this.config.HEALTH_CHECK_TIMEOUT_MS,
    });
  }
}
