import { Inject, Injectable, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import type Database from 'better-sqlite3';
import { REGISTRY_CONFIG, type RegistryConfig } from '../../registry.config';
import {
  ChangeIndex,
  CheckerLease,
  CheckHistory,
  InstanceStore,
  RoundLog,
  StorePing,
} from '../registry-store';
import { SqliteChangeIndex } from './sqlite-change-index';
import { SqliteCheckerLease } from './sqlite-checker-lease';
import { SqliteCheckHistory } from './sqlite-check-history';
import { SqliteInstances } from './sqlite-instances';
import { SqliteRoundLog } from './sqlite-round-log';
import { openDatabase, sqlite } from './sqlite';

/** The registry's one SQLite connection, closed after the HTTP server has stopped. */
@Injectable()
export class SqliteConnection implements OnApplicationShutdown {
  readonly db: Database.Database;

  constructor(@Inject(REGISTRY_CONFIG) config: RegistryConfig) {
    this.db = openDatabase(config.REGISTRY_DB_PATH);
  }

  onApplicationShutdown(): void {
    this.db.close();
  }
}

/** The store's parts on SQLite (REGISTRY_STORE=sqlite), all on one connection. */
export const sqliteProviders: Provider[] = [
  SqliteConnection,
  {
    provide: ChangeIndex,
    inject: [SqliteConnection],
    useFactory: (c: SqliteConnection) => new SqliteChangeIndex(c.db),
  },
  {
    provide: InstanceStore,
    inject: [SqliteConnection, ChangeIndex],
    useFactory: (c: SqliteConnection, index: ChangeIndex) => new SqliteInstances(c.db, index),
  },
  {
    provide: CheckHistory,
    inject: [SqliteConnection],
    useFactory: (c: SqliteConnection) => new SqliteCheckHistory(c.db),
  },
  {
    provide: RoundLog,
    inject: [SqliteConnection],
    useFactory: (c: SqliteConnection) => new SqliteRoundLog(c.db),
  },
  {
    provide: CheckerLease,
    inject: [SqliteConnection],
    useFactory: (c: SqliteConnection) => new SqliteCheckerLease(c.db),
  },
  {
    provide: StorePing,
    inject: [SqliteConnection],
    useFactory: (c: SqliteConnection): StorePing => ({
      name: 'sqlite',
      ping: () => sqlite(() => void c.db.prepare('SELECT 1').get()),
    }),
  },
];
