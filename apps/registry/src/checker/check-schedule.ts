import type { Instance } from '../instances/instance';

/** How often the checker looks for instances due on their own interval, or TTLs lapsing. */
export const SCHEDULE_TICK_MS = 250;

const keyOf = (i: Pick<Instance, 'service_name' | 'id'>) => `${i.service_name}/${i.id}`;

/**
 * When each instance is due for a check. Instances on the registry's interval are all checked in
 * the full rounds (every HEALTH_CHECK_INTERVAL_MS), together, so a round sees a whole service at once
 * (mass-failure protection depends on it). An instance with its own interval is due when that has
 * passed since its last probe (within half a tick), in whatever round or tick comes first. A TTL
 * instance is looked at in every full round, and as soon as its TTL lapses while it is passing.
 * Instances in maintenance are never due. Kept by the leader in memory: a new leader checks
 * everything in its first round.
 */
export class CheckSchedule {
  private readonly lastProbed = new Map<string, number>();
  /** The earliest time an instance of the last listing falls due outside the full rounds. */
  private nextDue = Number.POSITIVE_INFINITY;

  /** The instances a round at `now` checks (`full`: a round on the registry's interval). */
  due(instances: Instance[], now: number, full: boolean): Instance[] {
    const due = instances.filter((i) => i.maintenance === null && this.isDue(i, now, full));
    this.nextDue = Math.min(
      ...instances.filter((i) => i.maintenance === null && !due.includes(i)).map((i) => this.dueAt(i)),
    );
    return due;
  }

  /** Whether anything of the last listing is due outside the full rounds by `now`. */
  anyDue(now: number): boolean {
    return now >= this.nextDue - SCHEDULE_TICK_MS / 2;
  }

  /** Records the probes of a round that started at `at`, and forgets instances no longer listed. */
  probed(checked: Instance[], listed: Instance[], at: number): void {
    for (const instance of checked) this.lastProbed.set(keyOf(instance), at);
    const keep = new Set(listed.map(keyOf));
    for (const key of this.lastProbed.keys()) if (!keep.has(key)) this.lastProbed.delete(key);
    for (const instance of checked) this.nextDue = Math.min(this.nextDue, this.dueAt(instance));
  }

  private isDue(instance: Instance, now: number, full: boolean): boolean {
    if (full && (instance.check.type === 'ttl' || instance.check.interval_ms === null)) return true;
    return now >= this.dueAt(instance) - SCHEDULE_TICK_MS / 2;
  }

  /** When it falls due outside the full rounds (never for those on the registry's interval). */
  private dueAt(instance: Instance): number {
    const { check } = instance;
    if (check.type === 'ttl') {
      const lapses = instance.status === 'passing' && instance.ttl !== null;
      return lapses ? instance.ttl!.expires_at : Number.POSITIVE_INFINITY;
    }
    if (check.interval_ms === null) return Number.POSITIVE_INFINITY;
    return (this.lastProbed.get(keyOf(instance)) ?? 0) + check.interval_ms;
  }
}
