import { Inject, Injectable } from '@nestjs/common';
import type Database from 'better-sqlite3';
import { SQLITE } from '../database/database.module';

/**
 * The registry's change index (Consul's `X-Consul-Index`): one counter in SQLite, so registry
 * processes sharing the database share it too. Bumped by every change a watcher could see.
 */
@Injectable()
export class ChangeIndexRepository {
  private readonly statements;
  private readonly listeners = new Set<() => void>();
  private notifying = false;

  constructor(@Inject(SQLITE) db: Database.Database) {
    this.statements = {
      current: db.prepare<[], number>('SELECT value FROM change_index WHERE id = 1').pluck(),
      bump: db
        .prepare<[], number>('UPDATE change_index SET value = value + 1 WHERE id = 1 RETURNING value')
        .pluck(),
    };
  }

  current(): number {
    return this.statements.current.get()!;
  }

  /** Counts one change; inside a caller's transaction it commits (or rolls back) with it. */
  bump(): number {
    const value = this.statements.bump.get()!;
    if (!this.notifying && this.listeners.size > 0) {
      // After the caller's (synchronous) transaction has committed: listeners read the index then.
      this.notifying = true;
      setImmediate(() => {
        this.notifying = false;
        for (const listener of this.listeners) listener();
      });
    }
    return value;
  }

  /** Calls `listener` shortly after this process bumps the index (bumps by other processes are not seen). */
  onBump(listener: () => void): void {
    this.listeners.add(listener);
  }
}
