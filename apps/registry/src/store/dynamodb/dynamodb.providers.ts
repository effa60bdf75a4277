import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { guard } from '@app/dynamodb';
import { Inject, Injectable, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { REGISTRY_CONFIG, type RegistryConfig } from '../../registry.config';
import {
  ChangeIndex,
  CheckerLease,
  CheckHistory,
  InstanceStore,
  RoundLog,
  StorePing,
} from '../registry-store';
import { dynamoStore } from './dynamodb-store';
import { KEYS } from './registry-table';

/** The registry's DynamoDB client and its parts, the client closed after the HTTP server has stopped. */
@Injectable()
export class DynamoRegistryStore implements OnApplicationShutdown {
  readonly parts: ReturnType<typeof dynamoStore>;

  constructor(@Inject(REGISTRY_CONFIG) readonly config: RegistryConfig) {
    this.parts = dynamoStore(config);
  }

  onApplicationShutdown(): void {
    this.parts.raw.destroy();
  }
}

const part = <T>(
  provide: abstract new (...args: never[]) => T,
  pick: (s: DynamoRegistryStore) => T,
): Provider => ({
  provide,
  inject: [DynamoRegistryStore],
  useFactory: pick,
});

/** The store's parts on DynamoDB (REGISTRY_STORE=dynamodb), sharing one client. */
export const dynamoProviders: Provider[] = [
  DynamoRegistryStore,
  part(ChangeIndex, (s) => s.parts.index),
  part(InstanceStore, (s) => s.parts.instances),
  part(CheckHistory, (s) => s.parts.checks),
  part(RoundLog, (s) => s.parts.rounds),
  part(CheckerLease, (s) => s.parts.lease),
  // Healthy while live traffic gets answers; otherwise one consistent read that also proves the table exists.
  part(StorePing, ({ parts, config }): StorePing => ({
    name: 'dynamodb',
    ping: async () => {
      if (parts.liveness.recentlyAnswered()) return;
      await guard(parts.client.send(new GetCommand({ TableName: config.REGISTRY_TABLE, Key: KEYS.index })));
    },
  })),
];
