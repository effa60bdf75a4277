import type Database from 'better-sqlite3';
import type { LeaseRecord } from '../records';
import { CheckerLease } from '../registry-store';
import { LEASE, sqlite } from './sqlite';

/** The checker's lease as one row of `checker_lease`. */
export class SqliteCheckerLease extends CheckerLease {
  private readonly statements;

  constructor(private readonly db: Database.Database) {
    super();
    this.statements = {
      read: db.prepare<[], LeaseRecord>(
        `SELECT holder, rvn, epoch FROM checker_lease WHERE name = '${LEASE}'`,
      ),
      grant: db.prepare<[string, string, number]>(
        `INSERT INTO checker_lease (name, holder, rvn, epoch) VALUES ('${LEASE}', ?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, rvn = excluded.rvn, epoch = excluded.epoch`,
      ),
      renew: db.prepare<[string, string, number]>(
        `UPDATE checker_lease SET rvn = ? WHERE name = '${LEASE}' AND holder = ? AND epoch = ?`,
      ),
      release: db.prepare<[string, number]>(
        `UPDATE checker_lease SET holder = '' WHERE name = '${LEASE}' AND holder = ? AND epoch = ?`,
      ),
    };
  }

  read(): Promise<LeaseRecord | undefined> {
    return sqlite(() => this.statements.read.get());
  }

  take(holder: string, seenRvn: string | null, rvn: string): Promise<number | undefined> {
    return sqlite(
      this.db.transaction(() => {
        const lease = this.statements.read.get();
        const free = lease ? lease.rvn === seenRvn || lease.holder === '' : seenRvn === null;
        if (!free) return undefined;
        const epoch = (lease?.epoch ?? 0) + 1;
        this.statements.grant.run(holder, rvn, epoch);
        return epoch;
      }),
    );
  }

  renew(holder: string, epoch: number, rvn: string): Promise<boolean> {
    return sqlite(() => this.statements.renew.run(rvn, holder, epoch).changes === 1);
  }

  async release(holder: string, epoch: number): Promise<void> {
    await sqlite(() => this.statements.release.run(holder, epoch));
  }
}
