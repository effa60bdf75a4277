import type Database from 'better-sqlite3';
import { ChangeIndex } from '../registry-store';
import { sharedStatements, sqlite } from './sqlite';

/** The change index: one row in SQLite, so registry processes sharing the database share it too. */
export class SqliteChangeIndex extends ChangeIndex {
  /** One point read every 100 ms, only while a query is held. */
  readonly pollMs = 100;
  private readonly read;
  private readonly bumpIndex;

  constructor(db: Database.Database) {
    super();
    this.read = db.prepare<[], number>('SELECT value FROM change_index WHERE id = 1').pluck();
    this.bumpIndex = sharedStatements(db).bumpIndex;
  }

  current(): Promise<number> {
    return sqlite(() => this.read.get()!);
  }

  async bump(): Promise<number> {
    const value = await sqlite(() => this.bumpIndex.get()!);
    this.changed();
    return value;
  }
}
