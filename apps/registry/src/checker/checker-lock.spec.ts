import { Logger } from '@nestjs/common';
import { Registry } from 'prom-client';
import { RegistryMetrics } from '../metrics/registry-metrics';
import { loadRegistryConfig } from '../registry.config';
import { FencedError } from '../store/registry-store';
import { sqliteStore } from '../store/sqlite/sqlite-store';
import { CheckerLock, LeaseExpiredError } from './checker-lock';

const LEASE_MS = 3_000;

describe(CheckerLock.name, () => {
  let store: ReturnType<typeof sqliteStore>;
  /** The locks of the registries sharing `store`, shut down after each test. */
  let locks: CheckerLock[];
  let metrics: Map<CheckerLock, Registry>;

  /** A registry's lock over the shared store's lease, with metrics of its own. */
  const registry = () => {
    const config = loadRegistryConfig({ REGISTRY_LEASE_MS: String(LEASE_MS) });
    const registered = new Registry();
    const lock = new CheckerLock(config, store.lease, new RegistryMetrics(registered));
    locks.push(lock);
    metrics.set(lock, registered);
    return lock;
  };
  /** Moves the monotonic clock (performance.now) on, running any heartbeat due on the way. */
  const advance = (ms: number) => jest.advanceTimersByTimeAsync(ms);

  beforeEach(() => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    jest.spyOn(Logger.prototype, 'log').mockImplementation();
    jest.spyOn(Logger.prototype, 'warn').mockImplementation();
    store = sqliteStore(':memory:');
    locks = [];
    metrics = new Map();
  });
  afterEach(async () => {
    for (const lock of locks) await lock.onApplicationShutdown();
    store.db.close();
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('takes a free lease at its first heartbeat, not before', async () => {
    const a = registry();
    expect(a.leading).toBe(false);
    expect(() => a.fence()).toThrow(LeaseExpiredError);
    await a.heartbeat();
    expect(a.leading).toBe(true);
    expect(a.fence()).toEqual({ epoch: 1 });
    expect(await store.lease.read()).toMatchObject({ holder: a.holder, epoch: 1 });
    expect(await metrics.get(a)!.metrics()).toContain('chirp_registry_leader 1');
  });

  it('leaves a renewed lease alone, and takes it over (epoch + 1) only after seeing the same RVN for a whole lease', async () => {
    const a = registry();
    const b = registry();
    await a.heartbeat();
    await b.heartbeat();
    for (let i = 0; i < 10; i++) {
      // Renewed every third of a lease, as the timer does: b sees a new RVN each time and waits on.
      await advance(LEASE_MS / 3);
      await a.heartbeat();
      await b.heartbeat();
      expect(b.leading).toBe(false);
      expect(a.leading).toBe(true);
    }
    // a stops renewing (paused, or dead without releasing): b has now seen its last RVN for 0 ms.
    await advance(LEASE_MS - 1);
    await b.heartbeat();
    expect(b.leading).toBe(false);
    expect(a.leading).toBe(true); // its own deadline is its last renewal's start plus a lease
    expect(await metrics.get(b)!.metrics()).toContain('chirp_registry_leader 0');
    await advance(1);
    expect(a.leading).toBe(false);
    await b.heartbeat();
    expect(b.leading).toBe(true);
    expect(b.fence()).toEqual({ epoch: 2 });
    expect(await store.lease.read()).toMatchObject({ holder: b.holder, epoch: 2 });
    // a, back, finds its renewal refused and no longer leads, whatever its clock says.
    await a.heartbeat();
    expect(a.leading).toBe(false);
    expect(() => a.fence()).toThrow(LeaseExpiredError);
    expect(await store.lease.read()).toMatchObject({ holder: b.holder, epoch: 2 });
  });

  it('takes nothing from a holder it has not watched for a whole lease, however old the lease is', async () => {
    const a = registry();
    await a.heartbeat();
    await advance(10 * LEASE_MS); // a never renewed: b has no clock of a's to compare with, only its own
    const b = registry();
    await b.heartbeat();
    expect(b.leading).toBe(false);
    await advance(LEASE_MS - 1);
    await b.heartbeat();
    expect(b.leading).toBe(false);
    await advance(1);
    await b.heartbeat();
    expect(b.leading).toBe(true);
  });

  it('of two registries that saw the same RVN for a lease, only one takes it', async () => {
    const a = registry();
    const b = registry();
    const c = registry();
    await a.heartbeat();
    await b.heartbeat();
    await c.heartbeat();
    await advance(LEASE_MS);
    await Promise.all([b.heartbeat(), c.heartbeat()]);
    expect([b.leading, c.leading].filter(Boolean)).toHaveLength(1);
    expect(await store.lease.read()).toMatchObject({ epoch: 2 });
  });

  it('fence() throws once the local deadline passed without a renewal; a renewal moves it a lease past its start', async () => {
    const a = registry();
    await a.heartbeat();
    await advance(LEASE_MS - 1);
    expect(a.fence()).toEqual({ epoch: 1 });
    await a.heartbeat(); // renewed: the deadline is now a lease from here
    await advance(LEASE_MS - 1);
    expect(a.fence()).toEqual({ epoch: 1 });
    await advance(1);
    expect(a.leading).toBe(false);
    expect(() => a.fence()).toThrow(LeaseExpiredError);
    // Nobody took it meanwhile, so a late renewal of the same epoch still holds it.
    await a.heartbeat();
    expect(a.fence()).toEqual({ epoch: 1 });
  });

  it('keeps the lease only until its deadline while the store cannot be reached', async () => {
    const a = registry();
    await a.heartbeat();
    const renew = jest.spyOn(store.lease, 'renew').mockRejectedValue(new Error('sqlite unavailable'));
    await advance(LEASE_MS / 3);
    await a.heartbeat();
    expect(a.leading).toBe(true);
    await advance(LEASE_MS - LEASE_MS / 3);
    await a.heartbeat();
    expect(a.leading).toBe(false);
    expect(renew).toHaveBeenCalledTimes(2);
  });

  it('runs work only while it leads', async () => {
    const a = registry();
    const work = jest.fn(() => Promise.resolve('done'));
    expect(await a.run(work, true)).toBeUndefined();
    expect(work).not.toHaveBeenCalled();
    await a.heartbeat();
    expect(await a.run(work, true)).toBe('done');
    // A failure of the work's own goes to the caller and leaves the lease alone.
    await expect(a.run(() => Promise.reject(new Error('bug')), true)).rejects.toThrow('bug');
    expect(a.leading).toBe(true);
    await advance(LEASE_MS);
    expect(await a.run(work, true)).toBeUndefined();
    expect(work).toHaveBeenCalledTimes(1);
  });

  it('ends the work and its leadership at a write the store fenced off, or one made after its deadline, and counts both', async () => {
    const a = registry();
    await a.heartbeat();
    const fenced = () => Promise.reject(new FencedError(1));
    expect(await a.run(fenced, true)).toBeUndefined();
    expect(a.leading).toBe(false);
    // Stepped down, it watches its old lease like anyone else: a whole lease from its first look.
    await a.heartbeat();
    expect(a.leading).toBe(false);
    await advance(LEASE_MS);
    await a.heartbeat();
    expect(a.fence()).toEqual({ epoch: 2 });
    const late = async () => {
      await advance(LEASE_MS); // the work outlived the lease here
      a.fence();
    };
    expect(await a.run(late, true)).toBeUndefined();
    expect(a.leading).toBe(false);
    expect(await metrics.get(a)!.metrics()).toContain('chirp_registry_fenced_writes_total 2');
  });

  it('releases the lease at shutdown, so another registry takes it at its next heartbeat', async () => {
    const a = registry();
    const b = registry();
    await a.heartbeat();
    await b.heartbeat();
    await a.onApplicationShutdown();
    expect(a.leading).toBe(false);
    expect(await store.lease.read()).toMatchObject({ holder: '', epoch: 1 });
    await b.heartbeat();
    expect(b.leading).toBe(true);
    expect(b.fence()).toEqual({ epoch: 2 });
  });

  it('waits for running work before releasing at shutdown', async () => {
    const a = registry();
    const b = registry();
    await a.heartbeat();
    let finish!: () => void;
    const work = a.run(() => new Promise<void>((resolve) => (finish = resolve)), true);
    const shutdown = a.onApplicationShutdown();
    await Promise.resolve();
    await b.heartbeat();
    expect(b.leading).toBe(false);
    finish();
    await work;
    await shutdown;
    await b.heartbeat();
    expect(b.leading).toBe(true);
  });

  it('heartbeats every third of a lease from bootstrap, until shutdown', async () => {
    const a = registry();
    const b = registry();
    a.onApplicationBootstrap();
    await advance(0);
    b.onApplicationBootstrap();
    await advance(10 * LEASE_MS);
    expect(a.leading).toBe(true);
    expect(b.leading).toBe(false);
    await a.onApplicationShutdown();
    await advance(LEASE_MS / 3);
    expect(b.leading).toBe(true);
  });
});
