import type { Instance } from '../instances/instance';
import { anInstance } from '../instances/instance.fixture';
import { afterCheck, type CheckOutcome } from './check-transition';

const instance = (extra: Partial<Instance> = {}) => anInstance(1, { last_output: 'ok', ...extra });
const outcome = (passed: boolean, output = 'ok'): CheckOutcome => ({
  service_name: 'likes',
  id: '127.0.0.1:1',
  passed,
  output,
});
const ttlCheck = { type: 'ttl' as const, ttl_ms: 5_000 };

describe(afterCheck.name, () => {
  it('leaves an instance in maintenance as it is, whatever the check saw', () => {
    const held = instance({ maintenance: { reason: 'r', since: 0 } });
    expect(afterCheck(held, outcome(false, 'down'), 1, 10, 20)).toBeUndefined();
  });

  it('judges a TTL from the record as it is now, not from what the round listed', () => {
    // The round listed it passing; a critical report landed before the write: the stale pass is dropped.
    const reported = instance({
      check: ttlCheck,
      status: 'critical',
      ttl: { status: 'critical', output: 'disk full', expires_at: 9_000 },
    });
    expect(afterCheck(reported, outcome(true), 1, 1_000, 2_000)).toBeUndefined();
    // A renewal landed after the listing saw it lapsed: no failure.
    const renewed = instance({
      check: ttlCheck,
      ttl: { status: 'passing', output: 'ok', expires_at: 9_000 },
    });
    expect(afterCheck(renewed, outcome(false, 'TTL check: TTL expired'), 1, 1_000, 2_000)).toBeUndefined();
  });

  it('counts a lapsed TTL as a failure, with why in the output', () => {
    const lapsed = instance({ check: ttlCheck, ttl: { status: 'passing', output: 'ok', expires_at: 1_500 } });
    expect(afterCheck(lapsed, outcome(true), 1, 1_000, 2_000)).toMatchObject({
      status: 'critical',
      consecutive_failures: 1,
      critical_since: 2_000,
      last_output: 'TTL check: TTL expired 500 ms ago',
    });
  });
});
