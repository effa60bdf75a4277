import type { SchedulerRegistry } from '@nestjs/schedule';
import { openDatabase } from '../database/database.module';
import type { HaproxyMembership } from '../haproxy/haproxy-membership.service';
import type { Instance } from '../instances/instance';
import { InstancesRepository } from '../instances/instances.repository';
import { loadRegistryConfig } from '../registry.config';
import { ChecksRepository } from './checks.repository';
import { HealthChecker } from './health-checker.service';
import type { HealthProbe, ProbeResult } from './health-probe';
import { RoundsRepository } from './rounds.repository';

const pass: ProbeResult = { status_code: 200, latency_ms: 1, error: null, passed: true };
const fail: ProbeResult = { status_code: 503, latency_ms: 1, error: 'HTTP 503', passed: false };

describe(HealthChecker.name, () => {
  let sut: HealthChecker;
  let instances: InstancesRepository;
  let rounds: RoundsRepository;
  let outcome: Map<string, ProbeResult>;
  let probe: jest.Mocked<HealthProbe>;
  let haproxy: jest.Mocked<Pick<HaproxyMembership, 'remove' | 'reconcile'>>;

  const build = (failuresBeforePrune: number) => {
    const db = openDatabase(':memory:');
    const config = loadRegistryConfig({ HEALTH_FAILURES_BEFORE_PRUNE: String(failuresBeforePrune) });
    instances = new InstancesRepository(db);
    rounds = new RoundsRepository(db);
    outcome = new Map();
    probe = {
      probe: jest.fn((i: Pick<Instance, 'url'>) => Promise.resolve(outcome.get(i.url) ?? pass)),
    } as never;
    haproxy = {
      remove: jest.fn((_service: string, _id: string) => Promise.resolve()),
      reconcile: jest.fn((_instances: Instance[]) => Promise.resolve(undefined)),
    };
    sut = new HealthChecker(
      config,
      {} as SchedulerRegistry,
      probe,
      instances,
      new ChecksRepository(db),
      rounds,
      haproxy as unknown as HaproxyMembership,
    );
  };
  const register = (port: number) =>
    instances.upsert({
      service_name: 'likes',
      url: `http://127.0.0.1:${port}`,
      http: 'GET',
      health_path: '/health-check',
    });

  it('prunes an instance on its first failure by default, and takes it out of HAProxy', async () => {
    build(1);
    register(1);
    register(2);
    outcome.set('http://127.0.0.1:2', fail);
    expect(await sut.tick()).toEqual({ checked: 2, failed: 1, pruned: 1 });
    expect(instances.all().map((i) => i.id)).toEqual(['127.0.0.1:1']);
    expect(haproxy.remove).toHaveBeenCalledWith('likes', '127.0.0.1:2');
    expect(haproxy.reconcile).toHaveBeenCalledWith([expect.objectContaining({ id: '127.0.0.1:1' })]);
  });

  it('keeps a failing instance as critical until the threshold, and clears the count on a pass', async () => {
    build(3);
    register(1);
    outcome.set('http://127.0.0.1:1', fail);
    await sut.tick();
    await sut.tick();
    expect(instances.all()).toEqual([
      expect.objectContaining({ status: 'critical', consecutive_failures: 2 }),
    ]);
    outcome.set('http://127.0.0.1:1', pass);
    await sut.tick();
    expect(instances.all()).toEqual([
      expect.objectContaining({ status: 'passing', consecutive_failures: 0 }),
    ]);
    outcome.set('http://127.0.0.1:1', fail);
    for (let i = 0; i < 3; i++) await sut.tick();
    expect(instances.all()).toEqual([]);
  });

  it('skips a tick while a round is still running', async () => {
    build(1);
    register(1);
    let finish!: (result: ProbeResult) => void;
    probe.probe.mockImplementationOnce(() => new Promise((resolve) => (finish = resolve)));
    const first = sut.tick();
    await new Promise((resolve) => setImmediate(resolve));
    expect(await sut.tick()).toBeUndefined();
    finish(pass);
    expect(await first).toEqual({ checked: 1, failed: 0, pruned: 0 });
    expect(probe.probe).toHaveBeenCalledTimes(1);
  });

  it('does not run while another process holds the lease', async () => {
    build(1);
    register(1);
    rounds.tryAcquire('another registry', 60_000);
    expect(await sut.tick()).toBeUndefined();
    expect(probe.probe).not.toHaveBeenCalled();
  });

  it('logs each round it runs', async () => {
    build(1);
    register(1);
    await sut.tick();
    expect(rounds.recent(1)).toEqual([
      expect.objectContaining({ holder: sut.holder, checked: 1, failed: 0 }),
    ]);
  });
});
