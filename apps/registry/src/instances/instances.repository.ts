import { Inject, Injectable } from '@nestjs/common';
import type Database from 'better-sqlite3';
import { SQLITE } from '../database/database.module';
import type { WantedServer } from '../haproxy/slots';
import { ChangeIndexRepository } from '../watch/change-index.repository';
import { haproxyServer, type Instance, instanceId, type Registration } from './instance';

/** The outcome of one health check of one instance, as the checker records it. */
export interface CheckOutcome {
  service_name: string;
  id: string;
  passed: boolean;
}

/**
 * The `instances` table: the registry's membership, the source of truth for HAProxy. Every change a
 * watcher could see (registration, removal, status change, prune) bumps the change index with it.
 */
@Injectable()
export class InstancesRepository {
  private readonly statements;

  constructor(
    @Inject(SQLITE) private readonly db: Database.Database,
    private readonly changes: ChangeIndexRepository,
  ) {
    this.statements = {
      find: db.prepare<[string, string], Instance>(
        'SELECT * FROM instances WHERE service_name = ? AND id = ?',
      ),
      all: db.prepare<[], Instance>('SELECT * FROM instances ORDER BY service_name, registered_at, id'),
      byService: db.prepare<[string], Instance>(
        'SELECT * FROM instances WHERE service_name = ? ORDER BY registered_at, id',
      ),
      // A re-registration refreshes the record and counts as a passing sign of life.
      upsert: db.prepare(`
        INSERT INTO instances (service_name, id, url, http, health_path, status, consecutive_failures, registered_at, last_seen)
        VALUES (@service_name, @id, @url, @http, @health_path, 'passing', 0, @now, @now)
        ON CONFLICT (service_name, id) DO UPDATE SET
          url = excluded.url, http = excluded.http, health_path = excluded.health_path,
          status = 'passing', consecutive_failures = 0, last_seen = excluded.last_seen`),
      remove: db.prepare('DELETE FROM instances WHERE service_name = ? AND id = ?'),
      passed: db.prepare(`UPDATE instances SET status = 'passing', consecutive_failures = 0, last_seen = @now
        WHERE service_name = @service_name AND id = @id`),
      // A failure counts only if the instance gave no sign of life (re-registration) since the probe.
      failed: db.prepare<{ service_name: string; id: string; probedAt: number }, Instance>(`UPDATE instances
        SET status = 'critical', consecutive_failures = consecutive_failures + 1
        WHERE service_name = @service_name AND id = @id AND last_seen <= @probedAt RETURNING *`),
    };
  }

  find(serviceName: string, id: string): Instance | undefined {
    const row = this.statements.find.get(serviceName, id);
    return row;
  }

  all(): Instance[] {
    return this.statements.all.all();
  }

  /** The passing instances, as the HAProxy servers that should carry them (a membership WantedSource). */
  readonly routable = (): WantedServer[] =>
    this.statements.all
      .all()
      .filter((row) => row.status === 'passing')
      .map(haproxyServer);

  byService(serviceName: string): Instance[] {
    return this.statements.byService.all(serviceName);
  }

  /** Inserts or refreshes an instance; `created` tells which. */
  upsert(registration: Registration, now = Date.now()): { instance: Instance; created: boolean } {
    const id = instanceId(registration.url);
    return this.db.transaction(() => {
      const created = !this.statements.find.get(registration.service_name, id);
      this.statements.upsert.run({ ...registration, id, now });
      this.changes.bump();
      return { instance: this.find(registration.service_name, id)!, created };
    })();
  }

  remove(serviceName: string, id: string): boolean {
    return this.db.transaction(() => {
      const removed = this.statements.remove.run(serviceName, id).changes > 0;
      if (removed) this.changes.bump();
      return removed;
    })();
  }

  /**
   * Applies a round's outcomes (probed from `probedAt` on) in one transaction and deletes the
   * instances that have now failed `failuresBeforePrune` times in a row; returns those pruned. An
   * instance that re-registered while the round ran keeps its fresh record.
   */
  applyOutcomes(
    outcomes: CheckOutcome[],
    failuresBeforePrune: number,
    probedAt: number,
    now = Date.now(),
  ): Instance[] {
    return this.db.transaction(() => {
      const pruned: Instance[] = [];
      let changed = false;
      for (const outcome of outcomes) {
        if (outcome.passed) {
          changed ||= this.find(outcome.service_name, outcome.id)?.status === 'critical';
          this.statements.passed.run({ ...outcome, now });
          continue;
        }
        const row = this.statements.failed.get({ ...outcome, probedAt });
        // The first failure in a row turns a passing instance critical.
        changed ||= row?.consecutive_failures === 1;
        if (row && row.consecutive_failures >= failuresBeforePrune) {
          this.statements.remove.run(row.service_name, row.id);
          pruned.push(row);
          changed = true;
        }
      }
      if (changed) this.changes.bump();
      return pruned;
    })();
  }
}
