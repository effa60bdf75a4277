import { type DynamicModule, Module } from '@nestjs/common';
import type { RegistryConfig } from '../registry.config';
import {
  ChangeIndex,
  CheckerLease,
  CheckHistory,
  InstanceStore,
  RoundLog,
  StorePing,
} from './registry-store';
import { dynamoProviders } from './dynamodb/dynamodb.providers';
import { sqliteProviders } from './sqlite/sqlite.providers';

/**
 * The registry's store, chosen once from REGISTRY_STORE: its parts are global providers under the
 * abstract classes of registry-store.ts, so nothing above them knows which store answers.
 */
@Module({})
export class StoreModule {
  static forRoot(config: Pick<RegistryConfig, 'REGISTRY_STORE'>): DynamicModule {
    const providers = config.REGISTRY_STORE === 'dynamodb' ? dynamoProviders : sqliteProviders;
    return {
      module: StoreModule,
      global: true,
      providers,
      exports: [InstanceStore, ChangeIndex, CheckHistory, RoundLog, CheckerLease, StorePing],
    };
  }
}
