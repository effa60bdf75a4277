import { Logger } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { checkerFixture, fail, pass } from './checker.fixture';
import { HealthChecker } from './health-checker';

const empty = { checked: 0, failed: 0, pruned: 0, unrouted: 0, withheld: 0, withheld_reason: null };

describe(HealthChecker.name, () => {
  let f: ReturnType<typeof checkerFixture>;
  let sut: HealthChecker;

  const build = (env: Record<string, string> = {}) => {
    f = checkerFixture(env);
    sut = f.checker;
  };

  it('counts checks by service and result, and times the round', async () => {
    build({ HEALTH_FAILURES_BEFORE_PRUNE: '2' });
    f.register(1);
    f.register(2);
    f.outcome.set(f.url(2), fail);
    await sut.tick();
    await sut.tick();
    const text = await f.metrics.metrics();
    expect(text).toContain('chirp_registry_checks_total{service="likes",result="passed"} 2');
    expect(text).toContain('chirp_registry_checks_total{service="likes",result="failed"} 2');
    expect(text).toContain('chirp_registry_round_duration_seconds_count 2');
  });

  it('prunes an instance on its first failure by default, and takes it out of HAProxy', async () => {
    build();
    f.register(1);
    f.register(2);
    f.outcome.set(f.url(2), fail);
    expect(await sut.tick()).toEqual({ ...empty, checked: 2, failed: 1, pruned: 1 });
    expect(f.instances.all().map((i) => i.id)).toEqual(['127.0.0.1:1']);
    // HAProxy is reconciled after the prune, so the pruned instance's slot is emptied.
    expect(f.reconciledWith).toEqual([['127.0.0.1:1']]);
  });

  it('prunes a lone instance on its first failure, as the seed does', async () => {
    build();
    f.register(1);
    f.outcome.set(f.url(1), fail);
    expect(await sut.tick()).toMatchObject({ pruned: 1, withheld: 0 });
    expect(f.instances.all()).toEqual([]);
  });

  it('records in the round how many passing instances HAProxy had no slot for', async () => {
    build();
    f.register(1);
    f.fixture.unrouted = 1;
    expect(await sut.tick()).toEqual({ ...empty, checked: 1, unrouted: 1 });
    expect(f.rounds.recent(1)).toEqual([expect.objectContaining({ unrouted: 1 })]);
  });

  it('keeps a failing instance critical (out of HAProxy) until the threshold, and clears it on a pass', async () => {
    build({ HEALTH_FAILURES_BEFORE_PRUNE: '3' });
    f.register(1);
    f.outcome.set(f.url(1), fail);
    const before = Date.now();
    await sut.tick();
    await sut.tick();
    expect(f.instances.all()).toEqual([
      expect.objectContaining({ status: 'critical', consecutive_failures: 2, consecutive_successes: 0 }),
    ]);
    expect(f.instances.all()[0].critical_since).toBeGreaterThanOrEqual(before);
    expect(f.reconciledWith.at(-1)).toEqual([]);
    f.outcome.set(f.url(1), pass);
    await sut.tick();
    expect(f.instances.all()).toEqual([
      expect.objectContaining({
        status: 'passing',
        consecutive_failures: 0,
        consecutive_successes: 1,
        critical_since: null,
      }),
    ]);
    expect(f.reconciledWith.at(-1)).toEqual(['127.0.0.1:1']);
    f.outcome.set(f.url(1), fail);
    for (let i = 0; i < 3; i++) await sut.tick();
    expect(f.instances.all()).toEqual([]);
  });

  it('brings a critical instance back only after HEALTH_SUCCESSES_BEFORE_PASSING passes in a row', async () => {
    build({ HEALTH_FAILURES_BEFORE_PRUNE: '9', HEALTH_SUCCESSES_BEFORE_PASSING: '2' });
    f.register(1);
    f.outcome.set(f.url(1), fail);
    await sut.tick();
    f.outcome.set(f.url(1), pass);
    await sut.tick();
    expect(f.instances.all()).toEqual([
      expect.objectContaining({ status: 'critical', consecutive_failures: 0, consecutive_successes: 1 }),
    ]);
    await sut.tick();
    expect(f.statuses()).toEqual({ 1: 'passing' });
  });

  it('prunes none of a service when more than half of it fails in one round, and says why once', async () => {
    build();
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation();
    for (const port of [1, 2, 3]) f.register(port);
    f.outcome.set(f.url(1), fail);
    f.outcome.set(f.url(2), fail);
    const reason = 'mass failure: 2 of 3 likes instances failed their check';
    expect(await sut.tick()).toEqual({
      ...empty,
      checked: 3,
      failed: 2,
      withheld: 2,
      withheld_reason: reason,
    });
    expect(f.statuses()).toEqual({ 1: 'critical', 2: 'critical', 3: 'passing' });
    expect(f.reconciledWith.at(-1)).toEqual(['127.0.0.1:3']);
    await sut.tick();
    expect(f.rounds.recent(1)).toEqual([expect.objectContaining({ withheld: 2, withheld_reason: reason })]);
    expect(warn.mock.calls.filter(([m]) => String(m).startsWith(reason))).toHaveLength(1);
    warn.mockRestore();
  });

  it('prunes as usual when half a service or less fails', async () => {
    build();
    for (const port of [1, 2, 3, 4]) f.register(port);
    f.outcome.set(f.url(1), fail);
    f.outcome.set(f.url(2), fail);
    expect(await sut.tick()).toMatchObject({ failed: 2, pruned: 2, withheld: 0, withheld_reason: null });
    expect(f.statuses()).toEqual({ 3: 'passing', 4: 'passing' });
  });

  it('prunes instances critical for HEALTH_DEREGISTER_CRITICAL_AFTER_MS even in a mass failure', async () => {
    build({ HEALTH_DEREGISTER_CRITICAL_AFTER_MS: '50' });
    for (const port of [1, 2, 3]) f.register(port);
    for (const port of [1, 2, 3]) f.outcome.set(f.url(port), fail);
    expect(await sut.tick()).toMatchObject({ pruned: 0, withheld: 3 });
    await sut.tick();
    expect(f.statuses()).toEqual({ 1: 'critical', 2: 'critical', 3: 'critical' });
    await sleep(60);
    expect(await sut.tick()).toMatchObject({ pruned: 3 });
    expect(f.instances.all()).toEqual([]);
  });

  it('never locks up: after a scale-down the lone instance left is pruned on failure, and so on after a scale-up', async () => {
    build();
    for (const port of [1, 2, 3, 4]) f.register(port);
    for (const port of [1, 2, 3, 4]) f.outcome.set(f.url(port), fail);
    expect(await sut.tick()).toMatchObject({ pruned: 0, withheld: 4 });
    for (const port of [2, 3, 4]) f.instances.remove('likes', `127.0.0.1:${port}`);
    expect(await sut.tick()).toMatchObject({ pruned: 1, withheld: 0 });
    for (const port of [1, 2, 3, 4]) f.outcome.delete(f.url(port));
    for (const port of [1, 2, 3, 4]) f.register(port);
    f.outcome.set(f.url(4), fail);
    expect(await sut.tick()).toMatchObject({ pruned: 1, withheld: 0 });
    expect(f.statuses()).toEqual({ 1: 'passing', 2: 'passing', 3: 'passing' });
  });

  it('keeps an instance that re-registered while its failing probe ran', async () => {
    build();
    f.register(1);
    const finish = f.holdNextProbe();
    const round = sut.tick();
    await f.settle();
    f.register(1, Date.now() + 1000); // back up (a restart on the same port) before the round ends
    finish(fail);
    expect(await round).toEqual({ ...empty, checked: 1, failed: 1 });
    expect(f.instances.all()).toEqual([
      expect.objectContaining({ status: 'passing', consecutive_failures: 0 }),
    ]);
    expect(f.reconciledWith).toEqual([['127.0.0.1:1']]);
  });

  it('skips a tick while a round is still running', async () => {
    build();
    f.register(1);
    const finish = f.holdNextProbe();
    const first = sut.tick();
    await f.settle();
    expect(await sut.tick()).toBeUndefined();
    finish(pass);
    expect(await first).toEqual({ ...empty, checked: 1 });
    expect(f.probed).toHaveLength(1);
  });

  it('renews its lease while a long round runs, and leaves it to expire one interval after', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick'] });
    try {
      build({ HEALTH_CHECK_INTERVAL_MS: '1000', HEALTH_CHECK_TIMEOUT_MS: '500' });
      f.register(1);
      const finish = f.holdNextProbe();
      const round = sut.tick();
      await f.settle();
      await jest.advanceTimersByTimeAsync(10_000); // five leases long
      expect(f.rounds.tryAcquire('another registry', 1000)).toBe(false);
      finish(pass);
      await round;
      // A holder that dies now (no release) is replaced once its last lease (interval + 2 timeouts) ends.
      await jest.advanceTimersByTimeAsync(1_900);
      expect(f.rounds.tryAcquire('another registry', 1000)).toBe(false);
      await jest.advanceTimersByTimeAsync(200);
      expect(f.rounds.tryAcquire('another registry', 1000)).toBe(true);
    } finally {
      jest.useRealTimers();
    }
  });

  it('does not run while another process holds the lease', async () => {
    build();
    f.register(1);
    f.rounds.tryAcquire('another registry', 60_000);
    expect(await sut.tick()).toBeUndefined();
    expect(f.probed).toEqual([]);
  });

  it('checks what a previous run left 5 s after boot, long before the first interval', async () => {
    jest.useFakeTimers();
    try {
      build({ HEALTH_CHECK_INTERVAL_MS: '30000' });
      f.register(1);
      f.outcome.set(f.url(1), fail); // stopped with the rest, never deregistered
      sut.onApplicationBootstrap();
      await jest.advanceTimersByTimeAsync(4_900);
      expect(f.probed).toEqual([]);
      await jest.advanceTimersByTimeAsync(200);
      expect(f.instances.all()).toEqual([]);
    } finally {
      sut.onApplicationShutdown();
      await f.lock.onApplicationShutdown();
      jest.useRealTimers();
    }
  });

  it('logs each round it runs', async () => {
    build();
    f.register(1);
    await sut.tick();
    expect(f.rounds.recent(1)).toEqual([
      expect.objectContaining({ holder: f.lock.holder, checked: 1, failed: 0 }),
    ]);
  });
});
