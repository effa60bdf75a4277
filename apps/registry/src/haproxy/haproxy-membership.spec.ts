import type { RegistryConfig } from '../registry.config';
import type { ChangeIndex, InstanceStore } from '../store/registry-store';
import { HaproxyMembership } from './haproxy-membership';
import type { HaproxyTarget, Snapshot } from './haproxy-target';
import type { HaproxyTargets } from './haproxy-targets';

/** A target that records the snapshots it is handed and applies each at once. */
function fakeTarget() {
  const handed: Snapshot[] = [];
  const target = {
    label: 'fake',
    push: jest.fn((snapshot: Snapshot) => {
      handed.push(snapshot);
      return Promise.resolve({ filled: 0, emptied: 0, unrouted: [] });
    }),
    advance: jest.fn(() => Promise.resolve()),
    drain: jest.fn(() => Promise.resolve(null)),
    status: jest.fn(() => ({ reachable: true })),
  };
  return { target: target as unknown as HaproxyTarget, handed };
}

describe(HaproxyMembership.name, () => {
  let index: number;
  let reads: number;
  let release: (() => void)[];

  const membership = (targets: HaproxyTarget[]) => {
    const changes = { current: () => Promise.resolve(index), bump: () => Promise.resolve(++index) };
    // Each read of the instances waits until the test lets it finish.
    const instances = {
      all: () => {
        reads++;
        return new Promise((resolve) => release.push(() => resolve([])));
      },
    };
    return new HaproxyMembership(
      { all: targets, primary: targets[0] } as unknown as HaproxyTargets,
      { HAPROXY_PUSH_TIMEOUT_MS: 1_000, HAPROXY_DRAIN_TIMEOUT_MS: 1_000 } as RegistryConfig,
      instances as unknown as InstanceStore,
      changes as unknown as ChangeIndex,
    );
  };
  const finishReads = async () => {
    for (let i = 0; i < 10; i++) {
      await new Promise((resolve) => setImmediate(resolve));
      release.splice(0).forEach((finish) => finish());
    }
  };

  beforeEach(() => {
    index = 1;
    reads = 0;
    release = [];
  });

  it('serves a burst of changes with one read after the one in flight, seeing every change', async () => {
    const { target, handed } = fakeTarget();
    const sut = membership([target]);
    const first = sut.reconcile(); // a read starts now, at index 1
    await new Promise((resolve) => setImmediate(resolve));
    index = 5; // four changes committed while it reads, each asking for a push
    const burst = [sut.reconcile(), sut.reconcile(), sut.reconcile(), sut.reconcile()];
    await finishReads();
    await Promise.all([first, ...burst]);
    expect(reads).toBe(2);
    expect(handed.map((s) => s.index)).toEqual([1, 5]); // in the order read, the last at index 5
  });

  it('hands a read to every target any of its callers asked for, once each', async () => {
    const a = fakeTarget();
    const b = fakeTarget();
    const sut = membership([a.target, b.target]);
    const both = sut.reconcile();
    const onlyB = sut.reconcileTarget(b.target);
    await finishReads();
    await Promise.all([both, onlyB]);
    expect(reads).toBe(1);
    expect(a.handed).toHaveLength(1);
    expect(b.handed).toHaveLength(1);
  });

  it('says which HAProxies did not answer when it holds a server out for maintenance', async () => {
    const up = fakeTarget();
    const down = fakeTarget();
    Object.assign(down.target, { label: 'down:9999', status: () => ({ reachable: false }) });
    const sut = membership([up.target, down.target]);
    const server = { backend: 'likes', id: '127.0.0.1:1', host: '127.0.0.1', port: 1 };
    const held = sut.holdOut({ ...server, routable: true, selfChecked: true, weight: 1, hold: 'drain' });
    await finishReads();
    expect(await held).toEqual(['down:9999']);
  });
});
