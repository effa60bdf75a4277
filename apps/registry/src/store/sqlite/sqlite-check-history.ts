import type Database from 'better-sqlite3';
import type { CheckRecord } from '../records';
import { CheckHistory } from '../registry-store';
import { sqlite } from './sqlite';

type CheckRow = Omit<CheckRecord, 'passed'> & { passed: 0 | 1 };
const fromRow = (row: CheckRow): CheckRecord => ({ ...row, passed: row.passed === 1 });
const COLUMNS = 'service_name, instance_id, url, checked_at, status_code, latency_ms, error, passed';

/** The check history in the `checks` table: exactly the newest `limit` rows kept. */
export class SqliteCheckHistory extends CheckHistory {
  private readonly statements;

  constructor(private readonly db: Database.Database) {
    super();
    this.statements = {
      insert: db.prepare(`INSERT INTO checks (${COLUMNS})
        VALUES (@service_name, @instance_id, @url, @checked_at, @status_code, @latency_ms, @error, @passed)`),
      trim: db.prepare<[number]>('DELETE FROM checks WHERE seq <= (SELECT MAX(seq) FROM checks) - ?'),
      byService: db.prepare<[string, number], CheckRow>(
        `SELECT ${COLUMNS} FROM checks WHERE service_name = ? ORDER BY seq DESC LIMIT ?`,
      ),
      // The window keeps the cost bounded by the history's size (HEALTH_HISTORY_LIMIT rows).
      latestPerInstance: db.prepare<[number], CheckRow>(
        `SELECT ${COLUMNS} FROM (
           SELECT *, ROW_NUMBER() OVER (PARTITION BY service_name, instance_id ORDER BY seq DESC) AS n FROM checks
         ) WHERE n <= ? ORDER BY seq`,
      ),
    };
  }

  append(records: CheckRecord[], limit: number): Promise<void> {
    return sqlite(
      this.db.transaction(() => {
        for (const record of records)
          this.statements.insert.run({ ...record, passed: record.passed ? 1 : 0 });
        this.statements.trim.run(limit);
      }),
    );
  }

  byService(serviceName: string, limit: number): Promise<CheckRecord[]> {
    return sqlite(() => this.statements.byService.all(serviceName, limit).map(fromRow));
  }

  latestPerInstance(perInstance: number): Promise<CheckRecord[]> {
    return sqlite(() => this.statements.latestPerInstance.all(perInstance).map(fromRow));
  }
}
