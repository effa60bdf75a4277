import type { Instance } from '../instances/instance';
import { reportedCritical, ttlOutput, ttlVerdict } from '../instances/ttl-state';

/** The outcome of one health check of one instance, as the checker records it. */
export interface CheckOutcome {
  service_name: string;
  id: string;
  passed: boolean;
  /** What the check saw, for people (kept as the instance's `last_output`). */
  output: string;
}

/**
 * An instance's record after a check (probed from `probedAt` on), or undefined when the check changes
 * nothing, so a round writes only what changed, in every store:
 * - a pass of a passing instance with no failures counted, seeing what the last check saw, changes
 *   nothing (the usual case: `last_seen` then stays the time of its last registration or recovery);
 * - any other pass counts a success, and brings a critical instance back to passing after
 *   `successesBeforePassing` of them in a row;
 * - a failure counts only if the instance gave no sign of life (a re-registration) since the probe;
 * - an instance in maintenance is left as it is (it entered maintenance while the round ran);
 * - a TTL check is judged again from the record as it is now, not from the round's listing (a report
 *   may have landed since); one the instance reported critical and keeps reporting is left as the
 *   report set it: alive, down by its own word, and not a failure that prunes (a lapse is).
 */
export function afterCheck(
  instance: Instance,
  outcome: CheckOutcome,
  successesBeforePassing: number,
  probedAt: number,
  now: number,
): Instance | undefined {
  if (instance.maintenance !== null) return undefined;
  if (instance.check.type === 'ttl') {
    if (reportedCritical(instance.ttl, now)) return undefined;
    const verdict = ttlVerdict(instance.ttl, now);
    outcome = { ...outcome, passed: verdict.passed, output: ttlOutput(instance.ttl, verdict, now) };
  }
  const last_output = outcome.output;
  if (outcome.passed) {
    const steady = instance.status === 'passing' && instance.consecutive_failures === 0;
    if (steady && instance.last_output === last_output) return undefined;
    const consecutive_successes = instance.consecutive_successes + 1;
    const passing = instance.status === 'passing' || consecutive_successes >= successesBeforePassing;
    return {
      ...instance,
      status: passing ? 'passing' : 'critical',
      consecutive_failures: 0,
      consecutive_successes,
      critical_since: passing ? null : instance.critical_since,
      last_output,
      last_seen: now,
    };
  }
  if (instance.last_seen > probedAt) return undefined;
  return {
    ...instance,
    status: 'critical',
    consecutive_failures: instance.consecutive_failures + 1,
    consecutive_successes: 0,
    critical_since: instance.critical_since ?? now,
    last_output,
  };
}
