import { Module } from '@nestjs/common';
import { CheckerModule } from '../checker/checker.module';
import { HaproxyModule } from '../haproxy/haproxy.module';
import { InstancesModule } from '../instances/instances.module';
import { MaintenanceController } from './maintenance.controller';
import { MaintenanceService } from './maintenance.service';

/** Maintenance mode: instances held out of traffic by an operator, and put back after a check. */
@Module({
  imports: [InstancesModule, CheckerModule, HaproxyModule],
  controllers: [MaintenanceController],
  providers: [MaintenanceService],
  exports: [MaintenanceService],
})
export class MaintenanceModule {}
