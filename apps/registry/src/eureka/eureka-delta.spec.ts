import { anInstance as instance } from '../instances/instance.fixture';
import { DELTA_WINDOW_MS, EurekaDelta } from './eureka-delta';

const actions = (list: { hostName: string; port: { $: number }; actionType: string }[]) =>
  list.map((i) => `${i.actionType} ${i.port.$}`).sort();

describe(EurekaDelta.name, () => {
  let sut: EurekaDelta;
  beforeEach(() => (sut = new EurekaDelta()));

  it('lists everything as ADDED while it has no snapshot (a registry just started)', () => {
    expect(actions(sut.changes([instance(1), instance(2)], 1_000))).toEqual(['ADDED 1', 'ADDED 2']);
  });

  it('diffs against the oldest snapshot in the window: added, modified, deleted', () => {
    sut.observe([instance(1), instance(2)], 0);
    const now = [instance(2, { status: 'critical' }), instance(3)];
    expect(actions(sut.changes(now, 30_000))).toEqual(['ADDED 3', 'DELETED 1', 'MODIFIED 2']);
    // Still against the first snapshot: a client that fetched at 0 gets every change since.
    expect(actions(sut.changes(now, 60_000))).toEqual(['ADDED 3', 'DELETED 1', 'MODIFIED 2']);
  });

  it('names the latest change: an instance added, then changed, is MODIFIED', () => {
    sut.observe([], 0);
    sut.changes([instance(1)], 10_000);
    expect(actions(sut.changes([instance(1, { status: 'critical' })], 20_000))).toEqual(['MODIFIED 1']);
  });

  it('still deletes an instance added and removed within the window', () => {
    sut.observe([instance(1)], 0);
    sut.changes([instance(1), instance(2)], 10_000); // a client is told of 2
    expect(actions(sut.changes([instance(1)], 20_000))).toEqual(['DELETED 2']);
  });

  it('ignores what every renewal moves (lease times), and forgets snapshots past the window', () => {
    sut.observe([instance(1)], 0);
    expect(sut.changes([instance(1, { last_seen: 5_000 })], 10_000)).toEqual([]);
    // The snapshot at 0 has left the window; the one at 10 s is the base.
    expect(actions(sut.changes([instance(1), instance(2)], DELTA_WINDOW_MS + 5_000))).toEqual(['ADDED 2']);
  });
});
