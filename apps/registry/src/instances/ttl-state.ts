import type { Instance, TtlState } from './instance';

/** What a TTL check says: whether it passes, and why not. */
export interface TtlVerdict {
  passed: boolean;
  error: string | null;
}

/**
 * A TTL check at `now`, without any I/O: passing while the instance's last report was passing and its
 * TTL has not lapsed; critical when it reported so, or when the TTL passed without a report.
 */
export function ttlVerdict(ttl: TtlState | null, now: number): TtlVerdict {
  if (ttl === null) return { passed: false, error: 'no TTL state' };
  if (now >= ttl.expires_at) return { passed: false, error: `TTL expired ${now - ttl.expires_at} ms ago` };
  if (ttl.status === 'critical') return { passed: false, error: 'reported critical' };
  return { passed: true, error: null };
}

/** Whether the instance said it is critical and is still reporting (alive, and down by its own word). */
export const reportedCritical = (ttl: TtlState | null, now: number): boolean =>
  ttl !== null && ttl.status === 'critical' && now < ttl.expires_at;

/** A TTL check's output (Consul's check Output): the instance's own words, or why it lapsed. */
export function ttlOutput(ttl: TtlState | null, verdict: TtlVerdict, now: number): string {
  if (ttl !== null && (verdict.passed || reportedCritical(ttl, now))) return ttl.output;
  return `TTL check: ${verdict.error}`;
}

/**
 * The TTL state after a report (Consul's `/agent/check/pass|fail`): either status renews the TTL, as
 * any update does in Consul; undefined for an instance not checked by TTL.
 */
export function reportedTtl(
  instance: Pick<Instance, 'check'>,
  status: TtlState['status'],
  output: string,
  now: number,
): TtlState | undefined {
  if (instance.check.type !== 'ttl') return undefined;
  return {
    status,
    output: output || `TTL check reported ${status}`,
    expires_at: now + instance.check.ttl_ms,
  };
}

/**
 * The TTL state after a lease renewal (Eureka's heartbeat): the deadline moves, what the instance last
 * reported stays; undefined for an instance not checked by TTL.
 */
export function renewedTtl(instance: Pick<Instance, 'check' | 'ttl'>, now: number): TtlState | undefined {
  if (instance.check.type !== 'ttl') return undefined;
  const last = instance.ttl ?? { status: 'passing' as const, output: 'renewed' };
  return { status: last.status, output: last.output, expires_at: now + instance.check.ttl_ms };
}
