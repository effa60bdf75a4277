import { Module } from '@nestjs/common';
import { RegistryMetricsModule } from '../metrics/registry-metrics.module';
import { HaproxyMembership } from './haproxy-membership';
import { RuntimeApi } from './runtime-api';

/** HAProxy's membership: the Runtime API client and the one writer that fills and empties slots. */
@Module({
  imports: [RegistryMetricsModule],
  providers: [RuntimeApi, HaproxyMembership],
  exports: [HaproxyMembership],
})
export class HaproxyModule {}
