import type { SchedulerRegistry } from '@nestjs/schedule';
import { openDatabase } from '../database/database.module';
import type { HaproxyMembership, WantedSource } from '../haproxy/haproxy-membership';
import type { Instance } from '../instances/instance';
import { InstancesRepository } from '../instances/instances.repository';
import { loadRegistryConfig } from '../registry.config';
import { ChecksRepository } from './checks.repository';
import { HealthChecker } from './health-checker';
import type { HealthProbe, ProbeResult } from './health-probe';
import { ChangeIndexRepository } from '../watch/change-index.repository';
import { RoundsRepository } from './rounds.repository';

const pass: ProbeResult = { status_code: 200, latency_ms: 1, error: null, passed: true };
const fail: ProbeResult = { status_code: 503, latency_ms: 1, error: 'HTTP 503', passed: false };

describe(HealthChecker.name, () => {
  let sut: HealthChecker;
  let instances: InstancesRepository;
  let rounds: RoundsRepository;
  let outcome: Map<string, ProbeResult>;
  let probe: jest.Mocked<HealthProbe>;
  let haproxy: jest.Mocked<Pick<HaproxyMembership, 'reconcile'>>;
  /** What each HAProxy reconcile read as wanted (the writer reads it inside its turn). */
  let reconciledWith: string[][];
  let unrouted: number;

  const build = (failuresBeforePrune: number, env: Record<string, string> = {}) => {
    const db = openDatabase(':memory:');
    const config = loadRegistryConfig({ HEALTH_FAILURES_BEFORE_PRUNE: String(failuresBeforePrune), ...env });
    instances = new InstancesRepository(db, new ChangeIndexRepository(db));
    rounds = new RoundsRepository(db);
    outcome = new Map();
    probe = {
      probe: jest.fn((i: Pick<Instance, 'url'>) => Promise.resolve(outcome.get(i.url) ?? pass)),
    } as never;
    reconciledWith = [];
    unrouted = 0;
    haproxy = {
      reconcile: jest.fn((wanted: WantedSource) => {
        reconciledWith.push(wanted().map((server) => server.id));
        const server = { backend: 'likes', id: 'x', host: '127.0.0.1', port: 9 };
        return Promise.resolve({
          filled: 0,
          emptied: 0,
          unrouted: Array<typeof server>(unrouted).fill(server),
        });
      }),
    };
    sut = new HealthChecker(
      config,
      { addInterval: jest.fn(), addTimeout: jest.fn() } as unknown as SchedulerRegistry,
      probe,
      instances,
      new ChecksRepository(db),
      rounds,
      haproxy as unknown as HaproxyMembership,
    );
  };
  const register = (port: number, now = Date.now()) =>
    instances.upsert(
      { service_name: 'likes', url: `http://127.0.0.1:${port}`, http: 'GET', health_path: '/health-check' },
      now,
    );

  /** Starts a round whose first probe answers only when `finish` is called. */
  const tickWithProbeHeld = async () => {
    let finish!: (result: ProbeResult) => void;
    probe.probe.mockImplementationOnce(() => new Promise((resolve) => (finish = resolve)));
    const round = sut.tick();
    await new Promise((resolve) => setImmediate(resolve));
    return [round, finish] as const;
  };

  it('prunes an instance on its first failure by default, and takes it out of HAProxy', async () => {
    build(1);
    register(1);
    register(2);
    outcome.set('http://127.0.0.1:2', fail);
    expect(await sut.tick()).toEqual({ checked: 2, failed: 1, pruned: 1, unrouted: 0 });
    expect(instances.all().map((i) => i.id)).toEqual(['127.0.0.1:1']);
    // HAProxy is reconciled after the prune, so the pruned instance's slot is emptied.
    expect(reconciledWith).toEqual([['127.0.0.1:1']]);
  });

  it('records in the round how many passing instances HAProxy had no slot for', async () => {
    build(1);
    register(1);
    unrouted = 1;
    expect(await sut.tick()).toEqual({ checked: 1, failed: 0, pruned: 0, unrouted: 1 });
    expect(rounds.recent(1)).toEqual([expect.objectContaining({ unrouted: 1 })]);
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

  it('keeps an instance that re-registered while its failing probe ran', async () => {
    build(1);
    register(1);
    const [round, finish] = await tickWithProbeHeld();
    register(1, Date.now() + 1000); // back up (a restart on the same port) before the round ends
    finish(fail);
    expect(await round).toEqual({ checked: 1, failed: 1, pruned: 0, unrouted: 0 });
    expect(instances.all()).toEqual([
      expect.objectContaining({ status: 'passing', consecutive_failures: 0 }),
    ]);
    expect(reconciledWith).toEqual([['127.0.0.1:1']]);
  });

  it('skips a tick while a round is still running', async () => {
    build(1);
    register(1);
    const [first, finish] = await tickWithProbeHeld();
    expect(await sut.tick()).toBeUndefined();
    finish(pass);
    expect(await first).toEqual({ checked: 1, failed: 0, pruned: 0, unrouted: 0 });
    expect(probe.probe).toHaveBeenCalledTimes(1);
  });

  it('renews its lease while a long round runs, and leaves it to expire one interval after', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick'] });
    try {
      build(1, { HEALTH_CHECK_INTERVAL_MS: '1000', HEALTH_CHECK_TIMEOUT_MS: '500' });
      register(1);
      const [round, finish] = await tickWithProbeHeld();
      await jest.advanceTimersByTimeAsync(10_000); // five leases long
      expect(rounds.tryAcquire('another registry', 1000)).toBe(false);
      finish(pass);
      await round;
      // A holder that dies now (no release) is replaced once its last lease (interval + 2 timeouts) ends.
      await jest.advanceTimersByTimeAsync(1_900);
      expect(rounds.tryAcquire('another registry', 1000)).toBe(false);
      await jest.advanceTimersByTimeAsync(200);
      expect(rounds.tryAcquire('another registry', 1000)).toBe(true);
    } finally {
      jest.useRealTimers();
    }
  });

  it('does not run while another process holds the lease', async () => {
    build(1);
    register(1);
    rounds.tryAcquire('another registry', 60_000);
    expect(await sut.tick()).toBeUndefined();
    expect(probe.probe).not.toHaveBeenCalled();
  });

  it('checks what a previous run left 5 s after boot, long before the first interval', async () => {
    jest.useFakeTimers();
    try {
      build(1, { HEALTH_CHECK_INTERVAL_MS: '30000' });
      register(1);
      outcome.set('http://127.0.0.1:1', fail); // stopped with the rest, never deregistered
      sut.onApplicationBootstrap();
      await jest.advanceTimersByTimeAsync(4_900);
      expect(probe.probe).not.toHaveBeenCalled();
      await jest.advanceTimersByTimeAsync(200);
      expect(instances.all()).toEqual([]);
    } finally {
      await sut.onApplicationShutdown();
      jest.useRealTimers();
    }
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
