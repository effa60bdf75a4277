import type Database from 'better-sqlite3';
import { type RoundRecord, ROUNDS_KEPT, type RoundTally } from '../records';
import { type Fence, RoundLog } from '../registry-store';
import { sharedStatements, sqlite } from './sqlite';

/** The rounds in the `rounds` table, the newest ROUNDS_KEPT kept; the leader's writes are fenced. */
export class SqliteRoundLog extends RoundLog {
  private readonly statements;
  private readonly shared;

  constructor(private readonly db: Database.Database) {
    super();
    this.shared = sharedStatements(db);
    this.statements = {
      start: db
        .prepare<[string, number, number], number>(
          'INSERT INTO rounds (holder, epoch, started_at) VALUES (?, ?, ?) RETURNING seq',
        )
        .pluck(),
      finish: db.prepare(`UPDATE rounds SET finished_at = @finished_at, checked = @checked, failed = @failed,
        pruned = @pruned, unrouted = @unrouted, withheld = @withheld, withheld_reason = @withheld_reason
        WHERE seq = @seq`),
      trim: db.prepare(`DELETE FROM rounds WHERE seq <= (SELECT MAX(seq) FROM rounds) - ${ROUNDS_KEPT}`),
      recent: db.prepare<[number], RoundRecord>('SELECT * FROM rounds ORDER BY seq DESC LIMIT ?'),
    };
  }

  start(holder: string, fence: Fence, now = Date.now()): Promise<number> {
    return sqlite(
      this.db.transaction(() => {
        this.shared.assertFence(fence);
        return this.statements.start.get(holder, fence.epoch, now)!;
      }),
    );
  }

  finish(seq: number, tally: RoundTally, fence: Fence, now = Date.now()): Promise<void> {
    return sqlite(
      this.db.transaction(() => {
        this.shared.assertFence(fence);
        this.statements.finish.run({ seq, finished_at: now, ...tally });
        this.statements.trim.run();
      }),
    );
  }

  recent(limit: number): Promise<RoundRecord[]> {
    return sqlite(() => this.statements.recent.all(limit));
  }
}
