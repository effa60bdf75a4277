import { appsHashcode, eurekaStatus } from './eureka-status';

describe(eurekaStatus.name, () => {
  const ttl = (output: string) => ({ status: 'critical' as const, output, expires_at: 0 });

  it('maps maintenance, passing and critical to OUT_OF_SERVICE, UP and DOWN', () => {
    expect(eurekaStatus({ status: 'passing', maintenance: { reason: '', since: 0 }, ttl: null })).toBe(
      'OUT_OF_SERVICE',
    );
    expect(eurekaStatus({ status: 'passing', maintenance: null, ttl: null })).toBe('UP');
    expect(eurekaStatus({ status: 'critical', maintenance: null, ttl: null })).toBe('DOWN');
  });

  it('keeps the status a client reported of itself while critical, and nothing else', () => {
    expect(eurekaStatus({ status: 'critical', maintenance: null, ttl: ttl('STARTING') })).toBe('STARTING');
    expect(eurekaStatus({ status: 'critical', maintenance: null, ttl: ttl('UNKNOWN') })).toBe('UNKNOWN');
    expect(eurekaStatus({ status: 'critical', maintenance: null, ttl: ttl('disk full') })).toBe('DOWN');
  });
});

describe(appsHashcode.name, () => {
  it("counts statuses in alphabetical order, as Eureka's reconcile hash code does", () => {
    expect(appsHashcode(['UP', 'DOWN', 'UP', 'UP', 'OUT_OF_SERVICE'])).toBe('DOWN_1_OUT_OF_SERVICE_1_UP_3_');
    expect(appsHashcode([])).toBe('');
  });
});
