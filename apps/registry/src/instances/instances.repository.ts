import { Inject, Injectable } from '@nestjs/common';
import type Database from 'better-sqlite3';
import { SQLITE } from '../database/database.module';
import type { WantedServer } from '../haproxy/slots';
import { ChangeIndexRepository } from '../watch/change-index.repository';
import { haproxyServer, type Instance, instanceId, type Registration } from './instance';
import { planPrunes, type PrunePolicy, type MassFailure } from './prune-plan';

/** An `instances` row: tags and meta are JSON text. */
type InstanceRow = Omit<Instance, 'tags' | 'meta'> & { tags: string; meta: string };

const fromRow = (row: InstanceRow): Instance => ({
  ...row,
  tags: JSON.parse(row.tags) as string[],
  meta: JSON.parse(row.meta) as Record<string, string>,
});

/** The outcome of one health check of one instance, as the checker records it. */
export interface CheckOutcome {
  service_name: string;
  id: string;
  passed: boolean;
  /** What the check saw, for people (kept as the instance's `last_output`). */
  output: string;
}

/** What a round changed: the instances it pruned and the services whose prunes it withheld. */
export interface RoundChanges {
  pruned: Instance[];
  massFailures: MassFailure[];
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
      find: db.prepare<[string, string], InstanceRow>(
        'SELECT * FROM instances WHERE service_name = ? AND id = ?',
      ),
      all: db.prepare<[], InstanceRow>('SELECT * FROM instances ORDER BY service_name, registered_at, id'),
      critical: db.prepare<[], InstanceRow>(
        "SELECT * FROM instances WHERE status = 'critical' ORDER BY service_name, registered_at, id",
      ),
      members: db.prepare<[string], { n: number }>(
        'SELECT COUNT(*) AS n FROM instances WHERE service_name = ?',
      ),
      byService: db.prepare<[string], InstanceRow>(
        'SELECT * FROM instances WHERE service_name = ? ORDER BY registered_at, id',
      ),
      // A re-registration refreshes the record and counts as a passing sign of life.
      upsert: db.prepare(`
        INSERT INTO instances (service_name, id, url, http, health_path, tags, meta, status,
          consecutive_failures, consecutive_successes, critical_since, registered_at, last_seen)
        VALUES (@service_name, @id, @url, @http, @health_path, @tags, @meta, 'passing', 0, 0, NULL, @now, @now)
        ON CONFLICT (service_name, id) DO UPDATE SET
          url = excluded.url, http = excluded.http, health_path = excluded.health_path,
          tags = excluded.tags, meta = excluded.meta,
          status = 'passing', consecutive_failures = 0, critical_since = NULL, last_seen = excluded.last_seen`),
      remove: db.prepare('DELETE FROM instances WHERE service_name = ? AND id = ?'),
      // A critical instance turns passing after `successes` passing checks in a row.
      passed: db.prepare<
        { service_name: string; id: string; now: number; successes: number; output: string },
        InstanceRow
      >(`
        UPDATE instances SET consecutive_failures = 0, consecutive_successes = consecutive_successes + 1,
          last_seen = @now, last_output = @output,
          status = IIF(status = 'passing' OR consecutive_successes + 1 >= @successes, 'passing', 'critical'),
          critical_since = IIF(status = 'passing' OR consecutive_successes + 1 >= @successes, NULL, critical_since)
        WHERE service_name = @service_name AND id = @id RETURNING *`),
      // A failure counts only if the instance gave no sign of life (re-registration) since the probe.
      failed: db.prepare<
        { service_name: string; id: string; probedAt: number; now: number; output: string },
        InstanceRow
      >(`
        UPDATE instances SET status = 'critical', consecutive_failures = consecutive_failures + 1,
          consecutive_successes = 0, critical_since = COALESCE(critical_since, @now), last_output = @output
        WHERE service_name = @service_name AND id = @id AND last_seen <= @probedAt RETURNING *`),
    };
  }

  find(serviceName: string, id: string): Instance | undefined {
    const row = this.statements.find.get(serviceName, id);
    return row && fromRow(row);
  }

  all(): Instance[] {
    return this.statements.all.all().map(fromRow);
  }

  /** The instances that failed their last check. */
  critical(): Instance[] {
    return this.statements.critical.all().map(fromRow);
  }

  /** Every instance as the HAProxy server that carries it, routable when passing (a membership WantedSource). */
  readonly servers = (): WantedServer[] => this.statements.all.all().map(haproxyServer);

  byService(serviceName: string): Instance[] {
    return this.statements.byService.all(serviceName).map(fromRow);
  }

  /** Inserts or refreshes an instance; `created` tells which. */
  upsert(registration: Registration, now = Date.now()): { instance: Instance; created: boolean } {
    const id = instanceId(registration.url);
    return this.db.transaction(() => {
      const created = !this.statements.find.get(registration.service_name, id);
      const { tags, meta } = registration;
      this.statements.upsert.run({
        ...registration,
        id,
        now,
        tags: JSON.stringify(tags),
        meta: JSON.stringify(meta),
      });
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
   * Applies a round's outcomes (probed from `probedAt` on) in one transaction, then prunes as
   * {@link planPrunes} decides from the failures and the membership as it is now. An instance that
   * re-registered while the round ran keeps its fresh record.
   */
  applyRound(
    outcomes: CheckOutcome[],
    policy: PrunePolicy & { HEALTH_SUCCESSES_BEFORE_PASSING: number },
    probedAt: number,
    now = Date.now(),
  ): RoundChanges {
    return this.db.transaction(() => {
      const recorded = this.record(outcomes, policy.HEALTH_SUCCESSES_BEFORE_PASSING, probedAt, now);
      const failed = recorded.rows.filter((row) => row.consecutive_failures > 0);
      const members = (serviceName: string) => this.statements.members.get(serviceName)!.n;
      const { prune, massFailures } = planPrunes(failed, members, policy, now);
      for (const row of prune) this.statements.remove.run(row.service_name, row.id);
      if (recorded.statusChanged || prune.length) this.changes.bump();
      return { pruned: prune, massFailures };
    })();
  }

  /** Applies the outcomes of rechecking critical instances (never pruning); returns those now passing again. */
  applyRecheck(
    outcomes: CheckOutcome[],
    successesBeforePassing: number,
    probedAt: number,
    now = Date.now(),
  ): Instance[] {
    return this.db.transaction(() => {
      const { rows, statusChanged } = this.record(outcomes, successesBeforePassing, probedAt, now);
      if (statusChanged) this.changes.bump();
      return rows.filter((row) => row.status === 'passing');
    })();
  }

  /**
   * Records each outcome; returns the rows as updated (none for a failure that a re-registration
   * overtook) and whether any instance's status changed.
   */
  private record(
    outcomes: CheckOutcome[],
    successes: number,
    probedAt: number,
    now: number,
  ): { rows: Instance[]; statusChanged: boolean } {
    let statusChanged = false;
    const rows = outcomes.flatMap((outcome) => {
      const { service_name, id, output } = outcome;
      const before = this.statements.find.get(service_name, id)?.status;
      const row = outcome.passed
        ? this.statements.passed.get({ service_name, id, now, successes, output })
        : this.statements.failed.get({ service_name, id, probedAt, now, output });
      if (row && row.status !== before) statusChanged = true;
      return row ? [fromRow(row)] : [];
    });
    return { rows, statusChanged };
  }
}
