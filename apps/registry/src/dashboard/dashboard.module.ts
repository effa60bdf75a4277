import { Module } from '@nestjs/common';
import { CheckerModule } from '../checker/checker.module';
import { HaproxyModule } from '../haproxy/haproxy.module';
import { InstancesModule } from '../instances/instances.module';
import { WatchModule } from '../watch/watch.module';
import { DashboardController } from './dashboard.controller';
import { DashboardService } from './dashboard.service';

/** The registry's read-only dashboard at `/ui`: instances, checks and rounds beside HAProxy's view. */
@Module({
  imports: [InstancesModule, CheckerModule, HaproxyModule, WatchModule],
  controllers: [DashboardController],
  providers: [DashboardService],
})
export class DashboardModule {}
