import type Database from 'better-sqlite3';
import {
  DEFAULT_CHECK,
  type Instance,
  type InstanceChanges,
  instanceId,
  type Registration,
  registeredStatus,
  registeredTtl,
  WEIGHT,
} from '../../instances/instance';
import { planPrunes } from '../../instances/prune-plan';
import { afterCheck, type CheckOutcome } from '../check-transition';
import {
  type ChangeIndex,
  ChangedMeanwhileError,
  type Fence,
  InstanceStore,
  type RoundChanges,
  type RoundPolicy,
  type UpdateOptions,
} from '../registry-store';
import { sharedStatements, sqlite } from './sqlite';

/** An `instances` row: tags, meta, the check, maintenance and TTL state are JSON text. */
type InstanceRow = Omit<Instance, 'tags' | 'meta' | 'check' | 'maintenance' | 'ttl'> & {
  tags: string;
  meta: string;
  check_definition: string | null;
  maintenance: string | null;
  ttl: string | null;
};

const toJson = (value: object | null | undefined): string | null => (value ? JSON.stringify(value) : null);
const json = <T>(text: string | null): T | null => (text === null ? null : (JSON.parse(text) as T));

const fromRow = ({ check_definition, ...row }: InstanceRow): Instance => ({
  ...row,
  tags: JSON.parse(row.tags) as string[],
  meta: JSON.parse(row.meta) as Record<string, string>,
  check: json<Instance['check']>(check_definition) ?? DEFAULT_CHECK,
  maintenance: json(row.maintenance),
  ttl: json(row.ttl),
});

/** The columns {@link SqliteInstances.update} may set: InstanceChanges' keys, never a caller's string. */
const CHANGEABLE = new Set<string>([
  'meta',
  'weight',
  'maintenance',
  'ttl',
  'status',
  'consecutive_failures',
  'consecutive_successes',
  'critical_since',
  'last_output',
  'last_seen',
] satisfies (keyof InstanceChanges)[]);

/** The membership in the `instances` table; every change commits with the change index's bump. */
export class SqliteInstances extends InstanceStore {
  private readonly statements;
  private readonly shared;
  private readonly updates = new Map<string, Database.Statement>();

  constructor(
    private readonly db: Database.Database,
    private readonly index: ChangeIndex,
  ) {
    super();
    this.shared = sharedStatements(db);
    this.statements = {
      find: db.prepare<[string, string], InstanceRow>(
        'SELECT * FROM instances WHERE service_name = ? AND id = ?',
      ),
      all: db.prepare<[], InstanceRow>('SELECT * FROM instances ORDER BY service_name, registered_at, id'),
      byService: db.prepare<[string], InstanceRow>(
        'SELECT * FROM instances WHERE service_name = ? ORDER BY registered_at, id',
      ),
      members: db.prepare<[string], number>('SELECT COUNT(*) FROM instances WHERE service_name = ?').pluck(),
      // A re-registration refreshes the record and counts as a passing sign of life; it keeps the
      // weight unless it names one, and never ends a maintenance (an operator's choice).
      upsert: db.prepare(`
        INSERT INTO instances (service_name, id, url, http, health_path, tags, meta, check_definition, ttl,
          status, weight, consecutive_failures, consecutive_successes, critical_since, registered_at, last_seen)
        VALUES (@service_name, @id, @url, @http, @health_path, @tags, @meta, @check, @ttl, @status,
          COALESCE(@weight, ${WEIGHT.default}), 0, 0, @critical_since, @now, @now)
        ON CONFLICT (service_name, id) DO UPDATE SET
          url = excluded.url, http = excluded.http, health_path = excluded.health_path,
          tags = excluded.tags, meta = excluded.meta, weight = COALESCE(@weight, weight),
          check_definition = excluded.check_definition, ttl = excluded.ttl,
          status = excluded.status, consecutive_failures = 0, critical_since = excluded.critical_since,
          last_seen = excluded.last_seen`),
      remove: db.prepare<[string, string]>('DELETE FROM instances WHERE service_name = ? AND id = ?'),
      checked: db.prepare<Instance>(`
        UPDATE instances SET status = @status, consecutive_failures = @consecutive_failures,
          consecutive_successes = @consecutive_successes, critical_since = @critical_since,
          last_output = @last_output, last_seen = @last_seen
        WHERE service_name = @service_name AND id = @id`),
    };
  }

  find(serviceName: string, id: string): Promise<Instance | undefined> {
    return sqlite(() => {
      const row = this.statements.find.get(serviceName, id);
      return row && fromRow(row);
    });
  }

  all(): Promise<Instance[]> {
    return sqlite(() => this.statements.all.all().map(fromRow));
  }

  byService(serviceName: string): Promise<Instance[]> {
    return sqlite(() => this.statements.byService.all(serviceName).map(fromRow));
  }

  async register(
    registration: Registration,
    now = Date.now(),
  ): Promise<{ instance: Instance; created: boolean }> {
    const id = instanceId(registration.url);
    const result = await sqlite(
      this.db.transaction(() => {
        const created = !this.statements.find.get(registration.service_name, id);
        const { tags, meta } = registration;
        const { service_name, url, http, health_path } = registration;
        this.statements.upsert.run({
          ...{ service_name, url, http, health_path },
          id,
          now,
          weight: registration.weight ?? null,
          check: JSON.stringify(registration.check),
          ttl: toJson(registeredTtl(registration, now)),
          status: registeredStatus(registration),
          critical_since: registeredStatus(registration) === 'critical' ? now : null,
          tags: JSON.stringify(tags),
          meta: JSON.stringify(meta),
        });
        this.shared.bumpIndex.get();
        return { instance: fromRow(this.statements.find.get(registration.service_name, id)!), created };
      }),
    );
    this.index.changed();
    return result;
  }

  async update(
    serviceName: string,
    id: string,
    changes: InstanceChanges,
    { visible = true, ifUnchanged }: UpdateOptions = {},
  ): Promise<Instance | undefined> {
    const columns = Object.keys(changes).filter((c) => CHANGEABLE.has(c));
    const values = {
      ...changes,
      service_name: serviceName,
      id,
      meta: toJson(changes.meta),
      maintenance: toJson(changes.maintenance),
      ttl: toJson(changes.ttl),
    };
    if (columns.length === 0) return this.find(serviceName, id);
    const updated = await sqlite(
      this.db.transaction(() => {
        if (ifUnchanged) {
          const row = this.statements.find.get(serviceName, id);
          if (!row) return undefined;
          if (JSON.stringify(fromRow(row)) !== JSON.stringify(ifUnchanged)) {
            throw new ChangedMeanwhileError(serviceName, id);
          }
        }
        if (this.updateOf(columns).run(values).changes === 0) return undefined;
        if (visible) this.shared.bumpIndex.get();
        return fromRow(this.statements.find.get(serviceName, id)!);
      }),
    );
    if (updated && visible) this.index.changed();
    return updated;
  }

  /** The UPDATE of these columns, prepared once per set of columns (a TTL renewal is one every few seconds). */
  private updateOf(columns: string[]): Database.Statement {
    const key = columns.join(',');
    let statement = this.updates.get(key);
    if (!statement) {
      const set = columns.map((c) => `${c} = @${c}`).join(', ');
      statement = this.db.prepare(
        `UPDATE instances SET ${set} WHERE service_name = @service_name AND id = @id`,
      );
      this.updates.set(key, statement);
    }
    return statement;
  }

  async deregister(serviceName: string, id: string): Promise<boolean> {
    const removed = await sqlite(
      this.db.transaction(() => {
        const gone = this.statements.remove.run(serviceName, id).changes > 0;
        if (gone) this.shared.bumpIndex.get();
        return gone;
      }),
    );
    if (removed) this.index.changed();
    return removed;
  }

  async applyRound(
    outcomes: CheckOutcome[],
    policy: RoundPolicy,
    probedAt: number,
    fence: Fence,
    now = Date.now(),
  ): Promise<RoundChanges> {
    const { changes, statusChanged } = await sqlite(
      this.db.transaction(() => {
        this.shared.assertFence(fence);
        const recorded = this.record(outcomes, policy.HEALTH_SUCCESSES_BEFORE_PASSING, probedAt, now);
        const failed = recorded.failed;
        const { prune, massFailures } = planPrunes(
          failed,
          (s) => this.statements.members.get(s)!,
          policy,
          now,
        );
        for (const row of prune) this.statements.remove.run(row.service_name, row.id);
        const changed = recorded.statusChanged || prune.length > 0;
        if (changed) this.shared.bumpIndex.get();
        return { changes: { pruned: prune, massFailures }, statusChanged: changed };
      }),
    );
    if (statusChanged) this.index.changed();
    return changes;
  }

  async applyRecheck(
    outcomes: CheckOutcome[],
    successesBeforePassing: number,
    probedAt: number,
    fence: Fence,
    now = Date.now(),
  ): Promise<Instance[]> {
    const { recovered, statusChanged } = await sqlite(
      this.db.transaction(() => {
        this.shared.assertFence(fence);
        const recorded = this.record(outcomes, successesBeforePassing, probedAt, now);
        if (recorded.statusChanged) this.shared.bumpIndex.get();
        return { recovered: recorded.recovered, statusChanged: recorded.statusChanged };
      }),
    );
    if (statusChanged) this.index.changed();
    return recovered;
  }

  /** Writes each outcome's effect (see afterCheck); returns what failed, what recovered, and whether a status moved. */
  private record(outcomes: CheckOutcome[], successes: number, probedAt: number, now: number) {
    const failed: Instance[] = [];
    const recovered: Instance[] = [];
    let statusChanged = false;
    for (const outcome of outcomes) {
      const row = this.statements.find.get(outcome.service_name, outcome.id);
      const before = row && fromRow(row);
      const after = before && afterCheck(before, outcome, successes, probedAt, now);
      if (!before || !after) continue;
      this.statements.checked.run(after);
      if (!outcome.passed) failed.push(after);
      if (after.status !== before.status) {
        statusChanged = true;
        if (after.status === 'passing') recovered.push(after);
      }
    }
    return { failed, recovered, statusChanged };
  }
}
