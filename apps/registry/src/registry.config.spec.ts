import { haproxyTargets, loadRegistryConfig } from './registry.config';

describe('loadRegistryConfig', () => {
  it("drives .env's HAProxy Runtime API by default", () => {
    expect(loadRegistryConfig({}).HAPROXY_RUNTIME_ADDR).toEqual({ host: '127.0.0.1', port: 5590 });
  });

  it('reads host:port, IPv6 in brackets, and an empty value as HAProxy updates off', () => {
    expect(loadRegistryConfig({ HAPROXY_RUNTIME_ADDR: 'localhost:9999' }).HAPROXY_RUNTIME_ADDR).toEqual({
      host: 'localhost',
      port: 9999,
    });
    expect(loadRegistryConfig({ HAPROXY_RUNTIME_ADDR: '[::1]:5590' }).HAPROXY_RUNTIME_ADDR).toEqual({
      host: '::1',
      port: 5590,
    });
    expect(loadRegistryConfig({ HAPROXY_RUNTIME_ADDR: '' }).HAPROXY_RUNTIME_ADDR).toBeNull();
  });

  it.each(['127.0.0.1', '127.0.0.1:', '127.0.0.1:0', '127.0.0.1:70000', '127.0.0.1:55x', ':5590', 'a b:1'])(
    'stops the registry at boot on HAPROXY_RUNTIME_ADDR=%j, naming the variable',
    (value) => {
      expect(() => loadRegistryConfig({ HAPROXY_RUNTIME_ADDR: value })).toThrow(
        /HAPROXY_RUNTIME_ADDR: must be host:port/,
      );
    },
  );

  it('drives several HAProxies from HAPROXY_RUNTIME_ADDRS, which wins over HAPROXY_RUNTIME_ADDR', () => {
    const config = loadRegistryConfig({ HAPROXY_RUNTIME_ADDRS: '127.0.0.1:5590, [::1]:5591' });
    expect(haproxyTargets(config)).toEqual([
      { host: '127.0.0.1', port: 5590 },
      { host: '::1', port: 5591 },
    ]);
    expect(haproxyTargets(loadRegistryConfig({}))).toEqual([{ host: '127.0.0.1', port: 5590 }]);
    expect(haproxyTargets(loadRegistryConfig({ HAPROXY_RUNTIME_ADDR: '' }))).toEqual([]);
  });

  it('stops at boot on a bad HAPROXY_RUNTIME_ADDRS entry, naming the variable and the entry', () => {
    expect(() => loadRegistryConfig({ HAPROXY_RUNTIME_ADDRS: '127.0.0.1:5590,127.0.0.1' })).toThrow(
      /HAPROXY_RUNTIME_ADDRS: must be a comma list of host:port .*"127\.0\.0\.1"/,
    );
  });

  it.each(['127.0.0.1:5501', 'ftp://127.0.0.1:5501', 'http://', 'not a url'])(
    'stops at boot on ADVERTISE_URL=%j, naming the variable',
    (value) => {
      expect(() => loadRegistryConfig({ ADVERTISE_URL: value })).toThrow(
        /ADVERTISE_URL: must be an http\(s\) URL/,
      );
    },
  );

  it('takes an http(s) ADVERTISE_URL', () => {
    expect(loadRegistryConfig({ ADVERTISE_URL: 'http://10.0.0.5:5501' }).ADVERTISE_URL).toBe(
      'http://10.0.0.5:5501',
    );
  });

  it("keeps the seed's prune rule by default, with mass-failure protection and rechecks on", () => {
    expect(loadRegistryConfig({})).toMatchObject({
      HEALTH_FAILURES_BEFORE_PRUNE: 1,
      HEALTH_SUCCESSES_BEFORE_PASSING: 1,
      HEALTH_MASS_FAILURE_RATIO: 0.5,
      HEALTH_DEREGISTER_CRITICAL_AFTER_MS: 300_000,
      HEALTH_RECHECK_CRITICAL_MS: 5_000,
    });
  });

  it.each(['-0.1', '1.5', 'half'])(
    'stops at boot on HEALTH_MASS_FAILURE_RATIO=%j, naming the variable',
    (value) => {
      expect(() => loadRegistryConfig({ HEALTH_MASS_FAILURE_RATIO: value })).toThrow(
        /HEALTH_MASS_FAILURE_RATIO/,
      );
    },
  );
});
