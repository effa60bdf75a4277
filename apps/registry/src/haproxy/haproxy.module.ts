import { Module } from '@nestjs/common';
import { RegistryMetricsModule } from '../metrics/registry-metrics.module';
import { HaproxyMembership } from './haproxy-membership';
import { HaproxyMonitor } from './haproxy-monitor';
import { HaproxyStats } from './haproxy-stats';
import { HaproxyTargets } from './haproxy-targets';

/**
 * HAProxy's membership: the HAProxies the registry drives, the one writer that fills and empties their
 * slots, the monitor that notices a restarted or lagging one, and the first one's stats.
 */
@Module({
  imports: [RegistryMetricsModule],
  providers: [HaproxyTargets, HaproxyMembership, HaproxyMonitor, HaproxyStats],
  exports: [HaproxyMembership, HaproxyStats, HaproxyTargets],
})
export class HaproxyModule {}
