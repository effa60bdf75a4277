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
import { sqlite } from './sqlite';
import { sqliteStore } from './sqlite-store';

/** The registry's one SQLite connection and its parts, closed after the HTTP server has stopped. */
@Injectable()
export class SqliteRegistryStore implements OnApplicationShutdown {
  readonly parts: ReturnType<typeof sqliteStore>;

  constructor(@Inject(REGISTRY_CONFIG) config: RegistryConfig) {
    this.parts = sqliteStore(config.REGISTRY_DB_PATH);
  }

  onApplicationShutdown(): void {
    this.parts.db.close();
  }
}

const part = <T>(
  provide: abstract new (...args: never[]) => T,
  pick: (s: SqliteRegistryStore) => T,
): Provider => ({
  provide,
  inject: [SqliteRegistryStore],
  useFactory: pick,
});

/** The store's parts on SQLite (REGISTRY_STORE=sqlite), all on one connection. */
export const sqliteProviders: Provider[] = [
  SqliteRegistryStore,
  part(ChangeIndex, (s) => s.parts.index),
  part(InstanceStore, (s) => s.parts.instances),
  part(CheckHistory, (s) => s.parts.checks),
  part(RoundLog, (s) => s.parts.rounds),
  part(CheckerLease, (s) => s.parts.lease),
  part(StorePing, ({ parts }): StorePing => ({
    name: 'sqlite',
    ping: () => sqlite(() => void parts.db.prepare('SELECT 1').get()),
  })),
];
