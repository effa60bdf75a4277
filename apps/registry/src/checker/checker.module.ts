import { Module } from '@nestjs/common';
import { RegistryMetricsModule } from '../metrics/registry-metrics.module';
import { HaproxyModule } from '../haproxy/haproxy.module';
import { InstancesModule } from '../instances/instances.module';
import { ChecksController } from './checks.controller';
import { ChecksRepository } from './checks.repository';
import { ChecksService } from './checks.service';
import { HealthChecker } from './health-checker';
import { HealthProbe } from './health-probe';
import { RoundsController } from './rounds.controller';
import { RoundsRepository } from './rounds.repository';

/** Health checking: the probe, the scheduled rounds (and their lease), the checks' history. */
@Module({
  imports: [RegistryMetricsModule, InstancesModule, HaproxyModule],
  controllers: [ChecksController, RoundsController],
  providers: [HealthProbe, HealthChecker, ChecksRepository, RoundsRepository, ChecksService],
  exports: [ChecksService],
})
export class CheckerModule {}
