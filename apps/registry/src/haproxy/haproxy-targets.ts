import { Inject, Injectable, Logger } from '@nestjs/common';
import { RegistryMetrics } from '../metrics/registry-metrics';
import { haproxyTargets, REGISTRY_CONFIG, type RegistryConfig } from '../registry.config';
import { ChangeIndex } from '../store/registry-store';
import { HaproxyTarget } from './haproxy-target';
import type { TargetStatus } from './dto/target-status.view';
import { RuntimeApi } from './runtime-api';

/** Every HAProxy the registry drives (HAPROXY_RUNTIME_ADDRS, or HAPROXY_RUNTIME_ADDR alone), in order. */
@Injectable()
export class HaproxyTargets {
  readonly all: readonly HaproxyTarget[];

  constructor(
    @Inject(REGISTRY_CONFIG) config: RegistryConfig,
    metrics: RegistryMetrics,
    changes: ChangeIndex,
  ) {
    if (config.HAPROXY_RUNTIME_ADDRS && config.HAPROXY_RUNTIME_ADDR) {
      new Logger(HaproxyTargets.name).log('HAPROXY_RUNTIME_ADDRS is set: HAPROXY_RUNTIME_ADDR is ignored');
    }
    this.all = haproxyTargets(config).map((address) => {
      const api = new RuntimeApi(address);
      metrics.countSyncErrorsOf(api.label);
      return new HaproxyTarget(
        api,
        () => metrics.syncError(api.label),
        () => changes.current(),
      );
    });
    metrics.countHaproxyLag(() => this.statuses());
  }

  /** The first HAProxy: the one whose slot an instance's `haproxy_server` names. */
  get primary(): HaproxyTarget | undefined {
    return this.all[0];
  }

  /** What the registry knows of each HAProxy now. */
  statuses(): TargetStatus[] {
    return this.all.map((t) => t.status());
  }
}
