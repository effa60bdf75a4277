import { Module } from '@nestjs/common';
import { RegistryMetricsModule } from '../metrics/registry-metrics.module';
import { BlockingQueryInterceptor } from './blocking-query.interceptor';
import { ChangeWatchService } from './change-watch.service';

/** The change index and the blocking queries that wait on it. */
@Module({
  imports: [RegistryMetricsModule],
  providers: [ChangeWatchService, BlockingQueryInterceptor],
  exports: [ChangeWatchService, BlockingQueryInterceptor],
})
export class WatchModule {}
