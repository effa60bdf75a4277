import { Module } from '@nestjs/common';
import { RegistryMetrics } from './registry-metrics';

/** The registry's own metrics, for the parts that record them (checker, instances, HAProxy writer). */
@Module({
  providers: [RegistryMetrics],
  exports: [RegistryMetrics],
})
export class RegistryMetricsModule {}
