import { Injectable } from '@nestjs/common';
import type { Instance } from '../instances/instance';
import { type EurekaInstance, toEurekaInstance } from './dto/eureka.view';

/** How far back a delta reaches, as Eureka's recently-changed queue (3 minutes). */
export const DELTA_WINDOW_MS = 3 * 60_000;
/** The most snapshots kept (distinct states read in the window), whatever the churn. */
const SNAPSHOTS_KEPT = 500;

interface Seen {
  instance: EurekaInstance;
  /** What a client would see change (its lease's times left out: every renewal moves them). */
  print: string;
}
type Snapshot = { at: number; instances: Map<string, Seen> };

const keyOf = (instance: Pick<Instance, 'service_name' | 'id'>) => `${instance.service_name}/${instance.id}`;

function seen(instance: Instance): Seen {
  const view = toEurekaInstance(instance);
  const moving = { leaseInfo: undefined, lastUpdatedTimestamp: undefined, lastDirtyTimestamp: undefined };
  return { instance: view, print: JSON.stringify({ ...view, ...moving }) };
}

/**
 * Eureka's delta (`GET /eureka/apps/delta`): what changed in about the last three minutes, each
 * instance ADDED, MODIFIED or DELETED. Chirp's store keeps no history of changes, so this keeps
 * snapshots of the registry as its Eureka readers saw it (each distinct state read, for three
 * minutes, at most {@link SNAPSHOTS_KEPT}), derived from the records and never written anywhere: a delta lists every instance that
 * differs between any of them and now. Clients fetch every 30 s, so the oldest snapshot is
 * older than what any of them holds; applying a change twice is harmless (Eureka's clients replace
 * by id). A registry that has just started has no snapshot: its first delta lists every instance as
 * ADDED, and deletions before it started reach a client only through the hash code (which Eureka's
 * Java client checks, fetching everything when it differs).
 */
@Injectable()
export class EurekaDelta {
  private snapshots: Snapshot[] = [];

  /** Notes what a read answered (the state its client holds from now on), when it differs from the last. */
  observe(instances: Instance[], now = Date.now()): void {
    this.keep(new Map(instances.map((i) => [keyOf(i), seen(i)])), now);
  }

  /**
   * Every instance that changed in the window, as it is now (ADDED if the newest snapshot that saw it
   * otherwise lacked it, else MODIFIED) or as last seen (DELETED); then notes
   * `instances`. Each snapshot counts, not just the first: an instance added and removed within the
   * window must still reach the client that was told of its addition.
   */
  changes(instances: Instance[], now = Date.now()): EurekaInstance[] {
    const window = this.snapshots.filter((s) => s.at >= now - DELTA_WINDOW_MS);
    const current = new Map(instances.map((i) => [keyOf(i), seen(i)]));
    this.keep(current, now);
    if (window.length === 0) return [...current.values()].map((s) => s.instance);
    const changed: EurekaInstance[] = [];
    for (const [key, after] of current) {
      // Its latest change decides: the newest snapshot that saw it otherwise, or not at all.
      const before = window.findLast((s) => s.instances.get(key)?.print !== after.print);
      if (!before) continue;
      changed.push({ ...after.instance, actionType: before.instances.has(key) ? 'MODIFIED' : 'ADDED' });
    }
    const gone = new Map<string, EurekaInstance>();
    for (const snapshot of window) {
      for (const [key, before] of snapshot.instances) if (!current.has(key)) gone.set(key, before.instance);
    }
    for (const instance of gone.values()) changed.push({ ...instance, actionType: 'DELETED' });
    return changed;
  }

  private keep(state: Map<string, Seen>, now: number): void {
    this.snapshots = this.snapshots.filter((s) => s.at >= now - DELTA_WINDOW_MS).slice(-SNAPSHOTS_KEPT);
    const last = this.snapshots.at(-1);
    const same =
      last?.instances.size === state.size &&
      [...state].every(([key, s]) => last.instances.get(key)?.print === s.print);
    // The same state read again is still what its readers hold: it stays in the window.
    if (same) last.at = now;
    else this.snapshots.push({ at: now, instances: state });
  }
}
