import { ConfigModule } from '@app/config';
import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { DiscoveryModule, HealthModule } from '@app/discovery';
import { ErrorFilter, inputValidation, OpenApiModule } from '@app/http';
import { MetricsModule } from '@app/metrics';
import { TokenGuard } from './auth/token.guard';
import { CheckerModule } from './checker/checker.module';
import { ConsulModule } from './consul/consul.module';
import { DashboardModule } from './dashboard/dashboard.module';
import { HaproxyModule } from './haproxy/haproxy.module';
import { RegistryHealthController } from './health/registry-health.controller';
import { InstancesModule } from './instances/instances.module';
import { MaintenanceModule } from './maintenance/maintenance.module';
import { EurekaModule } from './eureka/eureka.module';
import { REGISTRY_CONFIG, type RegistryConfig } from './registry.config';
import { StorePing } from './store/registry-store';
import { StoreModule } from './store/store.module';

/**
 * The service registry: StoreModule (its records, on SQLite or DynamoDB), InstancesModule (membership), CheckerModule (health-check rounds),
 * under both HaproxyModule (HAProxy's membership through the Runtime API) and WatchModule (the change
 * index and blocking queries), and over them all DashboardModule (the page at /ui).
 */
@Module({})
export class RegistryModule {
  static forRoot(config: RegistryConfig): DynamicModule {
    return {
      module: RegistryModule,
      imports: [
        ConfigModule.forRoot(REGISTRY_CONFIG, config),
        MetricsModule.forRoot({ enabled: config.METRICS_ENABLED }),
        ScheduleModule.forRoot(),
        StoreModule.forRoot(config),
        InstancesModule,
        CheckerModule,
        MaintenanceModule,
        HaproxyModule,
        OpenApiModule.forRoot({
          title: 'Chirp registry',
          description: `Service instances and their health checks in ${config.REGISTRY_STORE === 'sqlite' ? 'SQLite' : 'DynamoDB'}, kept in step with HAProxy.`,
          stores: [config.REGISTRY_STORE],
          // Asked for in the document only where the registry asks for it.
          ...(config.REGISTRY_TOKEN && {
            bearer:
              "REGISTRY_TOKEN, as `Authorization: Bearer <token>` (Consul's reads also take X-Consul-Token or ?token=).",
          }),
        }),
        DashboardModule,
        ConsulModule,
        EurekaModule,
        // The registry registers itself, directly with itself: HAProxy learns of it that way.
        DiscoveryModule.forRoot({ service: 'registry', env: config }),
        HealthModule.registerAsync({
          controller: false,
          inject: [StorePing],
          useFactory: (store: StorePing) => ({ probes: [{ name: store.name, ping: () => store.ping() }] }),
        }),
      ],
      controllers: [RegistryHealthController],
      providers: [
        ErrorFilter,
        { provide: APP_FILTER, useExisting: ErrorFilter },
        { provide: APP_PIPE, useValue: inputValidation },
        { provide: APP_GUARD, useClass: TokenGuard },
      ],
    };
  }
}
