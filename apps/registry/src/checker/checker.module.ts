import { Module } from '@nestjs/common';
import { RegistryMetricsModule } from '../metrics/registry-metrics.module';
import { HaproxyModule } from '../haproxy/haproxy.module';
import { InstancesModule } from '../instances/instances.module';
import { CheckerLock } from './checker-lock';
import { ChecksController } from './checks.controller';
import { ChecksService } from './checks.service';
import { CriticalRecheck } from './critical-recheck';
import { HealthChecker } from './health-checker';
import { HealthProbe } from './health-probe';
import { RoundsController } from './rounds.controller';
import { TtlReports } from './ttl-reports';

/** Health checking: the probe, the scheduled rounds and rechecks (and their lease), the checks' history. */
@Module({
  imports: [RegistryMetricsModule, InstancesModule, HaproxyModule],
  controllers: [ChecksController, RoundsController],
  providers: [HealthProbe, CheckerLock, HealthChecker, CriticalRecheck, ChecksService, TtlReports],
  exports: [ChecksService, CheckerLock, HealthProbe, TtlReports],
})
export class CheckerModule {}
