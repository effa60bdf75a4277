import type { RegistryConfig } from '../registry.config';
import type { Instance } from './instance';

/** The thresholds that turn a round's failures into prunes. */
export type PrunePolicy = Pick<
  RegistryConfig,
  'HEALTH_FAILURES_BEFORE_PRUNE' | 'HEALTH_MASS_FAILURE_RATIO' | 'HEALTH_DEREGISTER_CRITICAL_AFTER_MS'
>;

/** A service that had more than its share of failures in one round, so its prunes were withheld. */
export interface MassFailure {
  service_name: string;
  failed: number;
  instances: number;
  /** Prunes the failure threshold asked for that were not made. */
  withheld: number;
}

/** Which instances a round prunes, and where it withheld prunes. */
export interface PrunePlan {
  prune: Instance[];
  massFailures: MassFailure[];
}

/**
 * Decides a round's prunes from the instances that failed in it (as recorded after the failure) and
 * each service's current membership. Nothing is carried from earlier rounds, so no past state (a
 * scale-down, a restart) can hold protection on: more than `HEALTH_MASS_FAILURE_RATIO` of a service
 * (two or more instances) failing at once withholds its prunes, except of instances critical for
 * `HEALTH_DEREGISTER_CRITICAL_AFTER_MS`, so a service that is really gone still leaves.
 */
export function planPrunes(
  failed: Instance[],
  membership: (serviceName: string) => number,
  policy: PrunePolicy,
  now: number,
): PrunePlan {
  const plan: PrunePlan = { prune: [], massFailures: [] };
  const byService = new Map<string, Instance[]>();
  for (const row of failed)
    byService.set(row.service_name, [...(byService.get(row.service_name) ?? []), row]);
  for (const [service_name, rows] of byService) {
    const instances = membership(service_name);
    const mass = instances >= 2 && rows.length > policy.HEALTH_MASS_FAILURE_RATIO * instances;
    let withheld = 0;
    for (const row of rows) {
      const due = row.consecutive_failures >= policy.HEALTH_FAILURES_BEFORE_PRUNE;
      const overdue = now - (row.critical_since ?? now) >= policy.HEALTH_DEREGISTER_CRITICAL_AFTER_MS;
      if (overdue || (due && !mass)) plan.prune.push(row);
      else if (due) withheld++;
    }
    if (mass) plan.massFailures.push({ service_name, failed: rows.length, instances, withheld });
  }
  return plan;
}
