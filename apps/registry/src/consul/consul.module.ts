import { Module } from '@nestjs/common';
import { InstancesModule } from '../instances/instances.module';
import { WatchModule } from '../watch/watch.module';
import { ConsulAclGuard } from './consul-acl.guard';
import { ConsulCatalog } from './consul-catalog';
import { ConsulFallbackController } from './consul-fallback.controller';
import { ConsulController } from './consul.controller';
import { ConsulReadInterceptor } from './consul-read.interceptor';

/** Consul's HTTP API, read side, at `/v1`: a view over the instances; it keeps no state of its own. */
@Module({
  imports: [InstancesModule, WatchModule],
  controllers: [ConsulController, ConsulFallbackController],
  providers: [ConsulCatalog, ConsulAclGuard, ConsulReadInterceptor],
})
export class ConsulModule {}
