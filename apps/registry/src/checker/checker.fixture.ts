import { createMock } from '@golevelup/ts-jest';
import type { SchedulerRegistry } from '@nestjs/schedule';
import { Registry } from 'prom-client';
import type { HaproxyMembership } from '../haproxy/haproxy-membership';
import type { WantedServer } from '../haproxy/slots';
import { DEFAULT_CHECK, haproxyServer, type Instance } from '../instances/instance';
import { RegistryMetrics } from '../metrics/registry-metrics';
import { loadRegistryConfig } from '../registry.config';
import { sqliteStore } from '../store/sqlite/sqlite-store';
import { CheckerLock } from './checker-lock';
import { CriticalRecheck } from './critical-recheck';
import { HealthChecker } from './health-checker';
import { HealthProbe, type ProbeResult } from './health-probe';

export const pass: ProbeResult = { status_code: 200, latency_ms: 1, error: null, passed: true };
export const fail: ProbeResult = { status_code: 503, latency_ms: 1, error: 'HTTP 503', passed: false };

/**
 * The checker's parts on an in-memory SQLite store, with probes answered from `outcome` (by URL; pass
 * when unset) and HAProxy faked: each reconcile records the routable server ids it read. The lock
 * leads once `lead()` has resolved.
 */
export function checkerFixture(env: Record<string, string> = {}) {
  const config = loadRegistryConfig(env);
  const store = sqliteStore(':memory:');
  const { instances, rounds, checks, lease, index } = store;
  const outcome = new Map<string, ProbeResult>();
  const probe = new HealthProbe(config);
  const probed: string[] = [];
  const probeSpy = jest.spyOn(probe, 'probe').mockImplementation((i: Pick<Instance, 'url'>) => {
    probed.push(i.url);
    return Promise.resolve(outcome.get(i.url) ?? pass);
  });
  const reconciledWith: string[][] = [];
  const fixture = { unrouted: 0 };
  const haproxy = createMock<HaproxyMembership>({
    reconcile: jest.fn(async () => {
      const wanted = (await instances.all()).map((i) => haproxyServer(i));
      reconciledWith.push(wanted.filter((server) => server.routable).map((server) => server.id));
      const server: WantedServer = {
        ...{ backend: 'likes', id: 'x', host: '127.0.0.1', port: 9 },
        ...{ routable: true, selfChecked: true, weight: 1, hold: null },
      };
      return { filled: 0, emptied: 0, unrouted: Array<WantedServer>(fixture.unrouted).fill(server) };
    }),
  });
  const scheduler = createMock<SchedulerRegistry>();
  const metrics = new Registry();
  const registryMetrics = new RegistryMetrics(metrics);
  const lock = new CheckerLock(config, lease, registryMetrics);
  const checker = new HealthChecker(
    config,
    scheduler,
    probe,
    instances,
    checks,
    rounds,
    index,
    lock,
    haproxy,
    registryMetrics,
  );
  const recheck = new CriticalRecheck(
    config,
    scheduler,
    probe,
    instances,
    checks,
    lock,
    haproxy,
    registryMetrics,
  );
  const url = (port: number) => `http://127.0.0.1:${port}`;
  const register = (port: number, now = Date.now()) =>
    instances.register(
      {
        service_name: 'likes',
        url: url(port),
        http: 'GET',
        health_path: '/health-check',
        check: DEFAULT_CHECK,
        tags: [],
        meta: {},
      },
      now,
    );
  /** Makes the next probe answer only when `finish` is called. */
  const holdNextProbe = () => {
    let finish!: (result: ProbeResult) => void;
    probeSpy.mockImplementationOnce((i: Pick<Instance, 'url'>) => {
      probed.push(i.url);
      return new Promise((resolve) => (finish = resolve));
    });
    return (result: ProbeResult) => finish(result);
  };
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  /** The status of each instance, by port. */
  const statuses = async () =>
    Object.fromEntries((await instances.all()).map((i) => [new URL(i.url).port, i.status]));
  /** Takes the lease (a fresh store has none). */
  const lead = async () => {
    await lock.heartbeat();
    if (!lock.leading) throw new Error('the fixture lock could not take the lease');
  };
  return {
    config,
    store,
    lease,
    checks,
    lead,
    instances,
    rounds,
    outcome,
    probe,
    probed,
    haproxy,
    metrics,
    reconciledWith,
    fixture,
    lock,
    checker,
    recheck,
    url,
    register,
    holdNextProbe,
    settle,
    statuses,
  };
}
