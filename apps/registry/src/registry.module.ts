import { ConfigModule } from '@app/config';
import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import type Database from 'better-sqlite3';
import { DiscoveryModule, HealthModule } from '@app/discovery';
import { ErrorFilter } from '@app/http';
import { TokenGuard } from './auth/token.guard';
import { ChecksRepository } from './checker/checks.repository';
import { HealthChecker } from './checker/health-checker.service';
import { HealthProbe } from './checker/health-probe';
import { RoundsRepository } from './checker/rounds.repository';
import { DatabaseModule, SQLITE } from './database/database.module';
import { HaproxyMembership } from './haproxy/haproxy-membership.service';
import { RuntimeApi } from './haproxy/runtime-api';
import { RegistryHealthController } from './health/registry-health.controller';
import { InstancesController } from './instances/instances.controller';
import { InstancesRepository } from './instances/instances.repository';
import { InstancesService } from './instances/instances.service';
import { REGISTRY_CONFIG, type RegistryConfig } from './registry.config';
import { RoundsController } from './rounds/rounds.controller';

/** The service registry: instances in SQLite, health-check rounds, HAProxy membership. */
@Module({})
export class RegistryModule {
  static forRoot(config: RegistryConfig): DynamicModule {
    return {
      module: RegistryModule,
      imports: [
        ConfigModule.forRoot(REGISTRY_CONFIG, config),
        ScheduleModule.forRoot(),
        DatabaseModule,
        // The registry registers itself, directly with itself: HAProxy learns of it that way.
        DiscoveryModule.forRoot({ service: 'registry', env: config }),
        HealthModule.registerAsync({
          controller: false,
          inject: [SQLITE],
          useFactory: (db: Database.Database) => ({
            probes: [{ name: 'sqlite', ping: () => Promise.resolve(db.prepare('SELECT 1').get()) }],
          }),
        }),
      ],
      controllers: [InstancesController, RegistryHealthController, RoundsController],
      providers: [
        { provide: APP_FILTER, useClass: ErrorFilter },
        { provide: APP_GUARD, useClass: TokenGuard },
        InstancesRepository,
        ChecksRepository,
        RoundsRepository,
        InstancesService,
        HealthProbe,
        HealthChecker,
        RuntimeApi,
        HaproxyMembership,
      ],
    };
  }
}
