import type { Instance } from '../../instances/instance';

/** Eureka's instance statuses (`InstanceInfo.InstanceStatus`). */
export const EUREKA_STATUSES = ['UP', 'DOWN', 'STARTING', 'OUT_OF_SERVICE', 'UNKNOWN'] as const;
export type EurekaStatus = (typeof EUREKA_STATUSES)[number];

/** Meta keys the adapter keeps for Eureka: the id the client chose (its `instanceId`). */
export const EUREKA_ID_KEY = 'eureka-instance-id';

/**
 * An instance's Eureka status: OUT_OF_SERVICE in maintenance, UP while passing; when critical, the
 * status a TTL report named (an Eureka client that registered or set itself DOWN, STARTING or
 * UNKNOWN), else DOWN (its lease lapsed, or its check failed).
 */
export function eurekaStatus(instance: Pick<Instance, 'status' | 'maintenance' | 'ttl'>): EurekaStatus {
  if (instance.maintenance !== null) return 'OUT_OF_SERVICE';
  if (instance.status === 'passing') return 'UP';
  const reported = instance.ttl?.status === 'critical' ? instance.ttl.output : '';
  return (EUREKA_STATUSES as readonly string[]).includes(reported) ? (reported as EurekaStatus) : 'DOWN';
}

/**
 * Eureka's `apps__hashcode` (`Applications.getReconcileHashCode`): each status with its count of
 * instances, in the statuses' alphabetical order, as `DOWN_1_UP_3_`. A delta-fetching client compares
 * it with the one its merged registry gives, and fetches everything again when they differ.
 */
export function appsHashcode(statuses: EurekaStatus[]): string {
  const counts = new Map<string, number>();
  for (const status of statuses) counts.set(status, (counts.get(status) ?? 0) + 1);
  return [...counts]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([status, count]) => `${status}_${count}_`)
    .join('');
}
