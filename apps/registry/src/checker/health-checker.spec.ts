import { Logger } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { Registry } from 'prom-client';
import { RegistryMetrics } from '../metrics/registry-metrics';
import { CheckerLock } from './checker-lock';
import { checkerFixture, fail, pass } from './checker.fixture';
import { HealthChecker } from './health-checker';

const empty = { checked: 0, failed: 0, pruned: 0, unrouted: 0, withheld: 0, withheld_reason: null };

describe(HealthChecker.name, () => {
  let f: ReturnType<typeof checkerFixture>;
  let sut: HealthChecker;

  /** A checker on a fresh store whose lock has taken the (free) lease, unless `lead` is false. */
  const build = async (env: Record<string, string> = {}, lead = true) => {
    f = checkerFixture(env);
    sut = f.checker;
    if (lead) await f.lead();
  };

  it('counts checks by service and result, and times the round', async () => {
    await build({ HEALTH_FAILURES_BEFORE_PRUNE: '2' });
    await f.register(1);
    await f.register(2);
    f.outcome.set(f.url(2), fail);
    await sut.tick();
    await sut.tick();
    const text = await f.metrics.metrics();
    expect(text).toContain('chirp_registry_checks_total{service="likes",result="passed"} 2');
    expect(text).toContain('chirp_registry_checks_total{service="likes",result="failed"} 2');
    expect(text).toContain('chirp_registry_round_duration_seconds_count 2');
  });

  it('prunes an instance on its first failure by default, and takes it out of HAProxy', async () => {
    await build();
    await f.register(1);
    await f.register(2);
    f.outcome.set(f.url(2), fail);
    expect(await sut.tick()).toEqual({ ...empty, checked: 2, failed: 1, pruned: 1 });
    expect((await f.instances.all()).map((i) => i.id)).toEqual(['127.0.0.1:1']);
    // HAProxy is reconciled after the prune, so the pruned instance's slot is emptied.
    expect(f.reconciledWith).toEqual([['127.0.0.1:1']]);
  });

  it('prunes a lone instance on its first failure, as the seed does', async () => {
    await build();
    await f.register(1);
    f.outcome.set(f.url(1), fail);
    expect(await sut.tick()).toMatchObject({ pruned: 1, withheld: 0 });
    expect(await f.instances.all()).toEqual([]);
  });

  it('records in the round how many passing instances HAProxy had no slot for', async () => {
    await build();
    await f.register(1);
    f.fixture.unrouted = 1;
    expect(await sut.tick()).toEqual({ ...empty, checked: 1, unrouted: 1 });
    expect(await f.rounds.recent(1)).toEqual([expect.objectContaining({ unrouted: 1 })]);
  });

  it('keeps a failing instance critical (out of HAProxy) until the threshold, and clears it on a pass', async () => {
    await build({ HEALTH_FAILURES_BEFORE_PRUNE: '3' });
    await f.register(1);
    f.outcome.set(f.url(1), fail);
    const before = Date.now();
    await sut.tick();
    await sut.tick();
    expect(await f.instances.all()).toEqual([
      expect.objectContaining({ status: 'critical', consecutive_failures: 2, consecutive_successes: 0 }),
    ]);
    expect((await f.instances.all())[0].critical_since).toBeGreaterThanOrEqual(before);
    expect(f.reconciledWith.at(-1)).toEqual([]);
    f.outcome.set(f.url(1), pass);
    await sut.tick();
    expect(await f.instances.all()).toEqual([
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
    expect(await f.instances.all()).toEqual([]);
  });

  it('brings a critical instance back only after HEALTH_SUCCESSES_BEFORE_PASSING passes in a row', async () => {
    await build({ HEALTH_FAILURES_BEFORE_PRUNE: '9', HEALTH_SUCCESSES_BEFORE_PASSING: '2' });
    await f.register(1);
    f.outcome.set(f.url(1), fail);
    await sut.tick();
    f.outcome.set(f.url(1), pass);
    await sut.tick();
    expect(await f.instances.all()).toEqual([
      expect.objectContaining({ status: 'critical', consecutive_failures: 0, consecutive_successes: 1 }),
    ]);
    await sut.tick();
    expect(await f.statuses()).toEqual({ 1: 'passing' });
  });

  it('prunes none of a service when more than half of it fails in one round, and says why once', async () => {
    await build();
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation();
    for (const port of [1, 2, 3]) await f.register(port);
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
    expect(await f.statuses()).toEqual({ 1: 'critical', 2: 'critical', 3: 'passing' });
    expect(f.reconciledWith.at(-1)).toEqual(['127.0.0.1:3']);
    await sut.tick();
    expect(await f.rounds.recent(1)).toEqual([
      expect.objectContaining({ withheld: 2, withheld_reason: reason }),
    ]);
    expect(warn.mock.calls.filter(([m]) => String(m).startsWith(reason))).toHaveLength(1);
    warn.mockRestore();
  });

  it('prunes as usual when half a service or less fails', async () => {
    await build();
    for (const port of [1, 2, 3, 4]) await f.register(port);
    f.outcome.set(f.url(1), fail);
    f.outcome.set(f.url(2), fail);
    expect(await sut.tick()).toMatchObject({ failed: 2, pruned: 2, withheld: 0, withheld_reason: null });
    expect(await f.statuses()).toEqual({ 3: 'passing', 4: 'passing' });
  });

  it('prunes instances critical for HEALTH_DEREGISTER_CRITICAL_AFTER_MS even in a mass failure', async () => {
    await build({ HEALTH_DEREGISTER_CRITICAL_AFTER_MS: '50' });
    for (const port of [1, 2, 3]) await f.register(port);
    for (const port of [1, 2, 3]) f.outcome.set(f.url(port), fail);
    expect(await sut.tick()).toMatchObject({ pruned: 0, withheld: 3 });
    await sut.tick();
    expect(await f.statuses()).toEqual({ 1: 'critical', 2: 'critical', 3: 'critical' });
    await sleep(60);
    expect(await sut.tick()).toMatchObject({ pruned: 3 });
    expect(await f.instances.all()).toEqual([]);
  });

  it('never locks up: after a scale-down the lone instance left is pruned on failure, and so on after a scale-up', async () => {
    await build();
    for (const port of [1, 2, 3, 4]) await f.register(port);
    for (const port of [1, 2, 3, 4]) f.outcome.set(f.url(port), fail);
    expect(await sut.tick()).toMatchObject({ pruned: 0, withheld: 4 });
    for (const port of [2, 3, 4]) await f.instances.deregister('likes', `127.0.0.1:${port}`);
    expect(await sut.tick()).toMatchObject({ pruned: 1, withheld: 0 });
    for (const port of [1, 2, 3, 4]) f.outcome.delete(f.url(port));
    for (const port of [1, 2, 3, 4]) await f.register(port);
    f.outcome.set(f.url(4), fail);
    expect(await sut.tick()).toMatchObject({ pruned: 1, withheld: 0 });
    expect(await f.statuses()).toEqual({ 1: 'passing', 2: 'passing', 3: 'passing' });
  });

  it('keeps an instance that re-registered while its failing probe ran', async () => {
    await build();
    await f.register(1);
    const finish = f.holdNextProbe();
    const round = sut.tick();
    await f.settle();
    await f.register(1, Date.now() + 1000); // back up (a restart on the same port) before the round ends
    finish(fail);
    expect(await round).toEqual({ ...empty, checked: 1, failed: 1 });
    expect(await f.instances.all()).toEqual([
      expect.objectContaining({ status: 'passing', consecutive_failures: 0 }),
    ]);
    expect(f.reconciledWith).toEqual([['127.0.0.1:1']]);
  });

  it('skips a tick while a round is still running', async () => {
    await build();
    await f.register(1);
    const finish = f.holdNextProbe();
    const first = sut.tick();
    await f.settle();
    expect(await sut.tick()).toBeUndefined();
    finish(pass);
    expect(await first).toEqual({ ...empty, checked: 1 });
    expect(f.probed).toHaveLength(1);
  });

  it('keeps its lease while a long round runs, and another registry takes it over only a lease after renewals stop', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick'] });
    let other: CheckerLock | undefined;
    try {
      await build({ REGISTRY_LEASE_MS: '3000' });
      f.lock.onApplicationBootstrap(); // renews every lease/3 from now on
      other = new CheckerLock(f.config, f.lease, new RegistryMetrics(new Registry()));
      other.onApplicationBootstrap(); // another registry sharing the store, watching the lease
      await f.register(1);
      const finish = f.holdNextProbe();
      const round = sut.tick();
      await f.settle();
      await jest.advanceTimersByTimeAsync(10_000); // over three leases long
      expect(other.leading).toBe(false);
      finish(pass);
      expect(await round).toEqual({ ...empty, checked: 1 }); // its writes were still its own to make
      // This registry dies now (no release): its renewals stop, and the other sees the same RVN from now on.
      jest.spyOn(f.lock, 'heartbeat').mockResolvedValue();
      await jest.advanceTimersByTimeAsync(2_900);
      expect(other.leading).toBe(false);
      await jest.advanceTimersByTimeAsync(200);
      expect(other.leading).toBe(true);
      expect(await f.lease.read()).toMatchObject({ holder: other.holder, epoch: 2 });
      expect(f.lock.leading).toBe(false); // its own deadline (last renewal + a lease) has passed too
    } finally {
      await other?.onApplicationShutdown();
      await f.lock.onApplicationShutdown();
      jest.useRealTimers();
    }
  });

  it('does not run while another process holds the lease', async () => {
    await build({}, false);
    await f.register(1);
    await f.lease.take('another registry', null, 'rvn-x');
    await f.lock.heartbeat(); // sees it held: takes nothing
    expect(f.lock.leading).toBe(false);
    expect(await sut.tick()).toBeUndefined();
    expect(f.probed).toEqual([]);
    expect(await f.rounds.recent(1)).toEqual([]);
  });

  it("makes none of a round's writes once another registry took the lease over while it ran, and stops leading", async () => {
    await build();
    await f.register(1);
    await f.register(2);
    f.outcome.set(f.url(2), fail); // the round would prune it
    const finish = f.holdNextProbe();
    const round = sut.tick();
    await f.settle();
    // Another registry saw this one's RVN unchanged for a lease (this one paused, say) and took the lease over.
    const seen = await f.lease.read();
    expect(await f.lease.take('another registry', seen!.rvn, 'rvn-x')).toBe(2);
    expect(f.lock.leading).toBe(true); // its local deadline has not passed: only the store knows
    finish(pass);
    expect(await round).toBeUndefined();
    expect(await f.statuses()).toEqual({ 1: 'passing', 2: 'passing' }); // nothing pruned
    expect(await f.instances.find('likes', '127.0.0.1:2')).toMatchObject({ consecutive_failures: 0 });
    expect(f.reconciledWith).toEqual([]);
    // (The probes' rows in the check history are written all the same: CheckHistory.append takes no fence.)
    // The round is left unfinished in the log, under the epoch it started with.
    expect(await f.rounds.recent(1)).toEqual([
      expect.objectContaining({ holder: f.lock.holder, epoch: 1, finished_at: null, checked: 0 }),
    ]);
    const text = await f.metrics.metrics();
    expect(text).toContain('chirp_registry_fenced_writes_total 1');
    expect(text).toContain('chirp_registry_leader 0');
    expect(f.lock.leading).toBe(false);
    expect(await sut.tick()).toBeUndefined();
    expect(f.probed).toHaveLength(2); // no round after it
  });

  it('checks what a previous run left 5 s after boot, long before the first interval', async () => {
    jest.useFakeTimers();
    try {
      await build({ HEALTH_CHECK_INTERVAL_MS: '30000' });
      await f.register(1);
      f.outcome.set(f.url(1), fail); // stopped with the rest, never deregistered
      sut.onApplicationBootstrap();
      await jest.advanceTimersByTimeAsync(4_900);
      expect(f.probed).toEqual([]);
      await jest.advanceTimersByTimeAsync(200);
      expect(await f.instances.all()).toEqual([]);
    } finally {
      sut.onApplicationShutdown();
      await f.lock.onApplicationShutdown();
      jest.useRealTimers();
    }
  });

  it('logs each round it runs', async () => {
    await build();
    await f.register(1);
    await sut.tick();
    expect(await f.rounds.recent(1)).toEqual([
      expect.objectContaining({
        holder: f.lock.holder,
        epoch: 1,
        checked: 1,
        failed: 0,
        finished_at: expect.any(Number),
      }),
    ]);
  });
});
