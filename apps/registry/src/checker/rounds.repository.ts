import { Inject, Injectable } from '@nestjs/common';
import type Database from 'better-sqlite3';
import { SQLITE } from '../database/database.module';

/** One health-check round as recorded (times in epoch milliseconds; `finished_at` null while it runs). */
export interface RoundRecord {
  seq: number;
  holder: string;
  started_at: number;
  finished_at: number | null;
  checked: number;
  failed: number;
  pruned: number;
  /** Passing instances left out of HAProxy after the round: their backend had no free slot. */
  unrouted: number;
  /** Prunes the failure threshold asked for but mass-failure protection held back. */
  withheld: number;
  /** Why they were withheld (which services, how many failed of how many); null when none were. */
  withheld_reason: string | null;
}

/** What a round found, as {@link RoundsRepository.finish} records it. */
export type RoundTally = Pick<
  RoundRecord,
  'checked' | 'failed' | 'pruned' | 'unrouted' | 'withheld' | 'withheld_reason'
>;

const LEASE = 'health-checker';
const ROUNDS_KEPT = 1000;

/**
 * The checker's lease (one row with an expiry, so registry processes sharing the database never run
 * rounds at once) and the log of rounds.
 */
@Injectable()
export class RoundsRepository {
  private readonly statements;

  constructor(@Inject(SQLITE) db: Database.Database) {
    this.statements = {
      acquire:
        db.prepare(`INSERT INTO leases (name, holder, expires_at) VALUES ('${LEASE}', @holder, @expires)
        ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
        WHERE leases.expires_at <= @now OR leases.holder = @holder`),
      extend: db.prepare(
        `UPDATE leases SET expires_at = @expires WHERE name = '${LEASE}' AND holder = @holder`,
      ),
      release: db.prepare(`DELETE FROM leases WHERE name = '${LEASE}' AND holder = ?`),
      start: db.prepare<[string, number], { seq: number }>(
        'INSERT INTO rounds (holder, started_at) VALUES (?, ?) RETURNING seq',
      ),
      finish: db.prepare(`UPDATE rounds SET finished_at = @finished_at, checked = @checked, failed = @failed,
        pruned = @pruned, unrouted = @unrouted, withheld = @withheld, withheld_reason = @withheld_reason
        WHERE seq = @seq`),
      trim: db.prepare(`DELETE FROM rounds WHERE seq <= (SELECT MAX(seq) FROM rounds) - ${ROUNDS_KEPT}`),
      recent: db.prepare<[number], RoundRecord>('SELECT * FROM rounds ORDER BY seq DESC LIMIT ?'),
    };
  }

  /** Takes or renews the lease until `now + ttlMs`; false when another holder's lease is still live. */
  tryAcquire(holder: string, ttlMs: number, now = Date.now()): boolean {
    return this.statements.acquire.run({ holder, expires: now + ttlMs, now }).changes === 1;
  }

  /** Keeps the lease (if still ours) until `now + ttlMs`. */
  extend(holder: string, ttlMs: number, now = Date.now()): void {
    this.statements.extend.run({ holder, expires: now + ttlMs });
  }

  release(holder: string): void {
    this.statements.release.run(holder);
  }

  start(holder: string, now = Date.now()): number {
    return this.statements.start.get(holder, now)!.seq;
  }

  finish(seq: number, tally: RoundTally, now = Date.now()): void {
    this.statements.finish.run({ seq, finished_at: now, ...tally });
    this.statements.trim.run();
  }

  recent(limit: number): RoundRecord[] {
    return this.statements.recent.all(limit);
  }
}
