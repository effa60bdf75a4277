import { StoreUnavailableError } from '@app/errors';
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { type Fence, FencedError } from '../registry-store';
import { ADDED_COLUMNS, SCHEMA } from './schema';

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

/** SQLite's result codes (and their extended forms) that mean the store cannot serve now, not a bug. */
const UNAVAILABLE = /^SQLITE_(BUSY|LOCKED|FULL|IOERR|READONLY|CANTOPEN|NOMEM|PROTOCOL|NOLFS)/;

/**
 * Runs a synchronous better-sqlite3 call as the store's async operation, translating a database that
 * cannot serve (locked past busy_timeout, a full disk, an I/O error, a closed connection) into
 * "sqlite unavailable" with its result code. Anything else (a constraint broken: a bug) goes on as it is.
 */
// async: whatever `call` throws becomes the returned promise's rejection.
// eslint-disable-next-line @typescript-eslint/require-await
export async function sqlite<T>(call: () => T): Promise<T> {
  try {
    return call();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && UNAVAILABLE.test(code)) throw new StoreUnavailableError('sqlite', code);
    if (/database connection is not open/.test((error as Error).message)) {
      throw new StoreUnavailableError('sqlite', 'closed');
    }
    throw error;
  }
}

/** The name of the checker's lease row. */
export const LEASE = 'health-checker';

/** Statements every part shares: the fence check and the change index's bump (run in the caller's transaction). */
export function sharedStatements(db: Database.Database) {
  const epoch = db.prepare<[], number>(`SELECT epoch FROM checker_lease WHERE name = '${LEASE}'`).pluck();
  return {
    /** Throws FencedError (rolling the caller's transaction back) unless `fence` holds the current epoch. */
    assertFence(fence: Fence): void {
      if (epoch.get() !== fence.epoch) throw new FencedError(fence.epoch);
    },
    bumpIndex: db
      .prepare<[], number>('UPDATE change_index SET value = value + 1 WHERE id = 1 RETURNING value')
      .pluck(),
  };
}
