import { Inject, Injectable } from '@nestjs/common';
import type Database from 'better-sqlite3';
import { SQLITE } from '../database/database.module';

/** One health check as recorded (`checked_at` in epoch milliseconds). */
export interface CheckRecord {
  service_name: string;
  instance_id: string;
  url: string;
  checked_at: number;
  status_code: number | null;
  latency_ms: number;
  error: string | null;
  passed: boolean;
}

type CheckRow = Omit<CheckRecord, 'passed'> & { passed: 0 | 1 };

/** The bounded health-check history (`checks`), newest rows kept. */
@Injectable()
export class ChecksRepository {
  private readonly statements;

  constructor(@Inject(SQLITE) private readonly db: Database.Database) {
    this.statements = {
      insert:
        db.prepare(`INSERT INTO checks (service_name, instance_id, url, checked_at, status_code, latency_ms, error, passed)
        VALUES (@service_name, @instance_id, @url, @checked_at, @status_code, @latency_ms, @error, @passed)`),
      trim: db.prepare('DELETE FROM checks WHERE seq <= (SELECT MAX(seq) FROM checks) - ?'),
      byService: db.prepare<[string, number], CheckRow>(
        `SELECT service_name, instance_id, url, checked_at, status_code, latency_ms, error, passed
         FROM checks WHERE service_name = ? ORDER BY seq DESC LIMIT ?`,
      ),
      // The window keeps the cost bounded by the history's size (HEALTH_HISTORY_LIMIT rows).
      latestPerInstance: db.prepare<[number], CheckRow>(
        `SELECT service_name, instance_id, url, checked_at, status_code, latency_ms, error, passed FROM (
           SELECT *, ROW_NUMBER() OVER (PARTITION BY service_name, instance_id ORDER BY seq DESC) AS n FROM checks
         ) WHERE n <= ? ORDER BY seq`,
      ),
    };
  }

  /** Appends checks and trims the history to `limit` rows, in one transaction. */
  append(records: CheckRecord[], limit: number): void {
    this.db.transaction(() => {
      for (const record of records) this.statements.insert.run({ ...record, passed: record.passed ? 1 : 0 });
      this.statements.trim.run(limit);
    })();
  }

  /** A service's checks, newest first. */
  byService(serviceName: string, limit: number): CheckRecord[] {
    return this.statements.byService
      .all(serviceName, limit)
      .map((row) => ({ ...row, passed: row.passed === 1 }));
  }

  /** The latest `perInstance` checks of every instance, oldest first. */
  latestPerInstance(perInstance: number): CheckRecord[] {
    return this.statements.latestPerInstance
      .all(perInstance)
      .map((row) => ({ ...row, passed: row.passed === 1 }));
  }
}
