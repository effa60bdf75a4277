import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { REGISTRY_CONFIG, type RegistryConfig } from '../registry.config';
import { ADDED_COLUMNS, SCHEMA } from './schema';

/** Injection token of the registry's better-sqlite3 connection. */
export const SQLITE = Symbol('SQLITE');

/** Opens the registry database (WAL, so several registry processes can share it) and applies the schema. */
export function openDatabase(path: string): Database.Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  // Another registry process may hold the write lock for a moment; wait rather than fail.
  db.pragma('busy_timeout = 5000');
  db.exec(SCHEMA);
  // A database made by an older release lacks the newer columns (CREATE TABLE IF NOT EXISTS kept it as it was).
  for (const [table, column, definition] of ADDED_COLUMNS) {
    const columns = db.prepare<[], { name: string }>(`PRAGMA table_info(${table})`).all();
    if (!columns.some((c) => c.name === column)) {
      db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${definition}`);
    }
  }
  return db;
}

/** The one SQLite connection of the registry, closed after the HTTP server has stopped. */
@Global()
@Module({
  providers: [
    {
      provide: SQLITE,
      inject: [REGISTRY_CONFIG],
      useFactory: (config: RegistryConfig) => openDatabase(config.REGISTRY_DB_PATH),
    },
  ],
  exports: [SQLITE],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(SQLITE) private readonly db: Database.Database) {}

  onApplicationShutdown(): void {
    this.db.close();
  }
}
