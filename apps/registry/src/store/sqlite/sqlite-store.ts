import type Database from 'better-sqlite3';
import { SqliteChangeIndex } from './sqlite-change-index';
import { SqliteCheckerLease } from './sqlite-checker-lease';
import { SqliteCheckHistory } from './sqlite-check-history';
import { SqliteInstances } from './sqlite-instances';
import { SqliteRoundLog } from './sqlite-round-log';
import { openDatabase } from './sqlite';

/** Every part of the store on one SQLite connection (opened at `path` when not given one). */
export function sqliteStore(path: string, db: Database.Database = openDatabase(path)) {
  const index = new SqliteChangeIndex(db);
  return {
    db,
    index,
    instances: new SqliteInstances(db, index),
    checks: new SqliteCheckHistory(db),
    rounds: new SqliteRoundLog(db),
    lease: new SqliteCheckerLease(db),
  };
}
