import { Module } from '@nestjs/common';
import { RegistryMetricsModule } from '../metrics/registry-metrics.module';
import { HaproxyMembership } from './haproxy-membership';
import { WatchModule } from '../watch/watch.module';
import { HaproxyStats } from './haproxy-stats';
import { RuntimeApi } from './runtime-api';

/** HAProxy's membership: the Runtime API client, the one writer that fills and empties slots, and its stats. */
@Module({
  imports: [RegistryMetricsModule, WatchModule],
  providers: [RuntimeApi, HaproxyMembership, HaproxyStats],
  exports: [HaproxyMembership, HaproxyStats],
})
export class HaproxyModule {}
