import { Module } from '@nestjs/common';
import { RegistryMetricsModule } from '../metrics/registry-metrics.module';
import { HaproxyModule } from '../haproxy/haproxy.module';
import { WatchModule } from '../watch/watch.module';
import { InstancesController } from './instances.controller';
import { InstancesService } from './instances.service';

/** The registry's membership: registration, lookup and deregistration, kept in step with HAProxy. */
@Module({
  imports: [RegistryMetricsModule, HaproxyModule, WatchModule],
  controllers: [InstancesController],
  providers: [InstancesService],
  exports: [InstancesService],
})
export class InstancesModule {}
