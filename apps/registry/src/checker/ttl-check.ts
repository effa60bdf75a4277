import type { Instance, TtlState } from '../instances/instance';
import type { ProbeResult } from './health-probe';

/**
 * A TTL check as a round sees it, without any I/O: passing while the instance's last report was
 * passing and has not lapsed; critical when it reported so, or when `ttl_ms` passed without a report.
 */
export function ttlResult(ttl: TtlState | null, now: number): ProbeResult {
  const passed = ttl !== null && ttl.status === 'passing' && now < ttl.expires_at;
  return { status_code: null, latency_ms: 0, error: passed ? null : ttlError(ttl, now), passed };
}

function ttlError(ttl: TtlState | null, now: number): string {
  if (ttl === null) return 'no TTL state';
  if (ttl.status === 'critical') return 'reported critical';
  return `TTL expired ${now - ttl.expires_at} ms ago`;
}

/** The TTL state after a report: a passing one renews the TTL, a critical one leaves its deadline. */
export function reportedTtl(
  instance: Pick<Instance, 'check' | 'ttl'>,
  status: TtlState['status'],
  output: string,
  now: number,
): TtlState | undefined {
  if (instance.check.type !== 'ttl') return undefined;
  const expires_at = status === 'passing' ? now + instance.check.ttl_ms : (instance.ttl?.expires_at ?? now);
  return { status, output, expires_at };
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
