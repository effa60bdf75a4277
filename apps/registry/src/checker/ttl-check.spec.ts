import type { CheckDefinition } from '../instances/instance';
import { reportedTtl, ttlResult } from './ttl-check';

describe(ttlResult.name, () => {
  it('passes while the last report was passing and has not lapsed', () => {
    const ttl = { status: 'passing' as const, output: 'ok', expires_at: 10_000 };
    expect(ttlResult(ttl, 9_999)).toEqual({ status_code: null, latency_ms: 0, error: null, passed: true });
    expect(ttlResult(ttl, 10_000)).toMatchObject({ passed: false, error: 'TTL expired 0 ms ago' });
    expect(ttlResult(ttl, 12_500)).toMatchObject({ passed: false, error: 'TTL expired 2500 ms ago' });
  });

  it('fails at once on a critical report, whatever its deadline', () => {
    const ttl = { status: 'critical' as const, output: 'disk full', expires_at: 10_000 };
    expect(ttlResult(ttl, 1_000)).toMatchObject({ passed: false, error: 'reported critical' });
  });
});

describe(reportedTtl.name, () => {
  const check: CheckDefinition = { type: 'ttl', ttl_ms: 5_000 };
  const ttl = { status: 'passing' as const, output: '', expires_at: 3_000 };

  it('renews the TTL on a passing report and keeps the deadline on a critical one', () => {
    expect(reportedTtl({ check, ttl }, 'passing', 'fine', 2_000)).toEqual({
      status: 'passing',
      output: 'fine',
      expires_at: 7_000,
    });
    expect(reportedTtl({ check, ttl }, 'critical', 'disk full', 2_000)).toEqual({
      status: 'critical',
      output: 'disk full',
      expires_at: 3_000,
    });
  });

  it('refuses an instance whose check is not a TTL', () => {
    const http: CheckDefinition = { type: 'http', interval_ms: null, timeout_ms: null };
    expect(reportedTtl({ check: http, ttl: null }, 'passing', '', 0)).toBeUndefined();
  });
});
