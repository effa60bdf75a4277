import type { CheckDefinition } from './instance';
import { renewedTtl, reportedTtl, ttlOutput, ttlVerdict } from './ttl-state';

describe(ttlVerdict.name, () => {
  it('passes while the last report was passing and has not lapsed', () => {
    const ttl = { status: 'passing' as const, output: 'ok', expires_at: 10_000 };
    expect(ttlVerdict(ttl, 9_999)).toEqual({ passed: true, error: null });
    expect(ttlVerdict(ttl, 10_000)).toEqual({ passed: false, error: 'TTL expired 0 ms ago' });
    expect(ttlVerdict(ttl, 12_500)).toEqual({ passed: false, error: 'TTL expired 2500 ms ago' });
  });

  it('fails on a critical report; the output is the instance’s own words until the TTL lapses', () => {
    const ttl = { status: 'critical' as const, output: 'disk full', expires_at: 10_000 };
    expect(ttlVerdict(ttl, 1_000)).toEqual({ passed: false, error: 'reported critical' });
    expect(ttlOutput(ttl, ttlVerdict(ttl, 1_000), 1_000)).toBe('disk full');
    expect(ttlOutput(ttl, ttlVerdict(ttl, 11_000), 11_000)).toBe('TTL check: TTL expired 1000 ms ago');
  });
});

describe(reportedTtl.name, () => {
  const check: CheckDefinition = { type: 'ttl', ttl_ms: 5_000 };

  it('renews the TTL on any report, as Consul does, naming the status when the output is empty', () => {
    expect(reportedTtl({ check }, 'passing', 'fine', 2_000)).toEqual({
      status: 'passing',
      output: 'fine',
      expires_at: 7_000,
    });
    expect(reportedTtl({ check }, 'critical', '', 2_000)).toEqual({
      status: 'critical',
      output: 'TTL check reported critical',
      expires_at: 7_000,
    });
  });

  it('refuses an instance whose check is not a TTL', () => {
    const http: CheckDefinition = { type: 'http', interval_ms: null, timeout_ms: null };
    expect(reportedTtl({ check: http }, 'passing', '', 0)).toBeUndefined();
  });
});

describe(renewedTtl.name, () => {
  it('moves the deadline and keeps what the instance reported', () => {
    const check: CheckDefinition = { type: 'ttl', ttl_ms: 5_000 };
    const ttl = { status: 'critical' as const, output: 'DOWN', expires_at: 1_000 };
    expect(renewedTtl({ check, ttl }, 3_000)).toEqual({
      status: 'critical',
      output: 'DOWN',
      expires_at: 8_000,
    });
  });
});
