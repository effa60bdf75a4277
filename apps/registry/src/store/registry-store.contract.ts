import { DEFAULT_CHECK, type Registration } from '../instances/instance';
import { loadRegistryConfig } from '../registry.config';
import type { CheckOutcome } from './check-transition';
import type { CheckRecord } from './records';
import {
  type ChangeIndex,
  ChangedMeanwhileError,
  type CheckerLease,
  type CheckHistory,
  FencedError,
  type InstanceStore,
  type RoundLog,
} from './registry-store';

/** The parts of one store under test, fresh and empty. */
export interface StoreUnderTest {
  index: ChangeIndex;
  instances: InstanceStore;
  checks: CheckHistory;
  rounds: RoundLog;
  lease: CheckerLease;
}

const likes = (port: number, tags: string[] = []): Registration => ({
  service_name: 'likes',
  url: `http://127.0.0.1:${port}`,
  http: 'GET',
  health_path: '/health-check',
  check: DEFAULT_CHECK,
  tags,
  meta: { version: '1.2.3' },
});
const outcome = (port: number, passed: boolean): CheckOutcome => ({
  output: passed ? 'HTTP GET: 200 OK' : 'HTTP GET: ECONNREFUSED',
  service_name: 'likes',
  id: `127.0.0.1:${port}`,
  passed,
});
/** A check `at` ms into the last minute (history stores may keep only the last hour or so). */
const check = (instance: number, at: number, passed = true): CheckRecord => ({
  service_name: 'likes',
  instance_id: `127.0.0.1:${instance}`,
  url: `http://127.0.0.1:${instance}`,
  checked_at: minuteAgo + at,
  status_code: passed ? 200 : 503,
  latency_ms: 3,
  error: passed ? null : 'HTTP 503',
  passed,
});
const minuteAgo = Date.now() - 60_000;
const policy = loadRegistryConfig({ HEALTH_FAILURES_BEFORE_PRUNE: '3' });

/**
 * What every registry store promises (registry-store.ts), as one suite each store runs: "works on
 * SQLite" and "works on DynamoDB" are one claim. `open` gives a fresh, empty store.
 */
export function registryStoreContract(open: () => Promise<StoreUnderTest>): void {
  let store: StoreUnderTest;
  let fence: { epoch: number };

  beforeEach(async () => {
    store = await open();
    fence = { epoch: (await store.lease.take('leader', null, 'rvn-1'))! };
  });

  /** How much `change` moved the change index. */
  const bumps = async (change: () => Promise<unknown>) => {
    const before = await store.index.current();
    await change();
    return (await store.index.current()) - before;
  };

  describe('instances', () => {
    it('registers, then refreshes, keeping what was registered', async () => {
      const first = await store.instances.register(likes(1, ['eu']), 1_000);
      expect(first.created).toBe(true);
      expect(first).toMatchObject({
        instance: {
          id: '127.0.0.1:1',
          service_name: 'likes',
          tags: ['eu'],
          meta: { version: '1.2.3' },
          status: 'passing',
          registered_at: 1_000,
          last_seen: 1_000,
        },
      });
      const again = await store.instances.register({ ...likes(1), tags: ['us'] }, 2_000);
      expect(again.created).toBe(false);
      expect(again.instance).toMatchObject({ tags: ['us'], registered_at: 1_000, last_seen: 2_000 });
      expect(await store.instances.find('likes', '127.0.0.1:1')).toEqual(again.instance);
      expect(await store.instances.find('likes', '127.0.0.1:9')).toBeUndefined();
    });

    it('weighs a new instance 1 unless told; a re-registration keeps the weight unless it names one', async () => {
      expect((await store.instances.register(likes(1))).instance.weight).toBe(1);
      expect((await store.instances.register({ ...likes(2), weight: 0 })).instance.weight).toBe(0);
      await store.instances.update('likes', '127.0.0.1:1', { weight: 7 });
      expect((await store.instances.register(likes(1))).instance.weight).toBe(7);
      expect((await store.instances.register({ ...likes(1), weight: 3 })).instance.weight).toBe(3);
      expect(await store.instances.find('likes', '127.0.0.1:1')).toMatchObject({ weight: 3 });
    });

    it('updates the settings it is given, bumping the index; nothing for an instance it does not know', async () => {
      await store.instances.register(likes(1, ['eu']), 1_000);
      const maintenance = { reason: 'kernel upgrade', since: 2_000 };
      expect(await bumps(() => store.instances.update('likes', '127.0.0.1:1', { maintenance }))).toBe(1);
      const held = await store.instances.find('likes', '127.0.0.1:1');
      expect(held).toMatchObject({ maintenance, weight: 1, status: 'passing', tags: ['eu'] });
      // A re-registration is a sign of life, not the end of an operator's maintenance.
      expect((await store.instances.register(likes(1), 3_000)).instance.maintenance).toEqual(maintenance);
      const ended = {
        maintenance: null,
        status: 'critical' as const,
        critical_since: 4_000,
        last_output: 'down',
      };
      expect(await store.instances.update('likes', '127.0.0.1:1', ended)).toMatchObject(ended);
      expect(await store.instances.find('likes', '127.0.0.1:1')).toMatchObject(ended);
      expect(await bumps(() => store.instances.update('likes', '127.0.0.1:9', { weight: 2 }))).toBe(0);
      expect(await store.instances.update('likes', '127.0.0.1:9', { weight: 2 })).toBeUndefined();
    });

    it('writes a conditional update only over the record as read; a quiet one moves no index', async () => {
      await store.instances.register(likes(1), 1_000);
      const find = () => store.instances.find('likes', '127.0.0.1:1');
      const read = (await find())!;
      await store.instances.update('likes', '127.0.0.1:1', { weight: 2 }); // someone else, meanwhile
      await expect(
        store.instances.update('likes', '127.0.0.1:1', { weight: 5 }, { ifUnchanged: read }),
      ).rejects.toBeInstanceOf(ChangedMeanwhileError);
      expect((await find())?.weight).toBe(2);
      const fresh = (await find())!;
      expect(
        await store.instances.update('likes', '127.0.0.1:1', { weight: 5 }, { ifUnchanged: fresh }),
      ).toMatchObject({ weight: 5 });
      // A round's write changes the record too.
      const beforeRound = (await find())!;
      await store.instances.applyRound([outcome(1, true)], policy, Date.now(), fence);
      await expect(
        store.instances.update('likes', '127.0.0.1:1', { weight: 6 }, { ifUnchanged: beforeRound }),
      ).rejects.toBeInstanceOf(ChangedMeanwhileError);
      expect(
        await store.instances.update('likes', '127.0.0.1:9', { weight: 6 }, { ifUnchanged: beforeRound }),
      ).toBeUndefined();
      expect(
        await bumps(() => store.instances.update('likes', '127.0.0.1:1', { weight: 7 }, { visible: false })),
      ).toBe(0);
      expect((await find())?.weight).toBe(7);
    });

    it('lists by service, then registration time', async () => {
      await store.instances.register(likes(2), 2);
      await store.instances.register({ ...likes(3), service_name: 'polls' }, 1);
      await store.instances.register(likes(1), 3);
      const ids = (list: { service_name: string; id: string }[]) =>
        list.map((i) => `${i.service_name}/${i.id}`);
      expect(ids(await store.instances.all())).toEqual([
        'likes/127.0.0.1:2',
        'likes/127.0.0.1:1',
        'polls/127.0.0.1:3',
      ]);
      expect(ids(await store.instances.byService('likes'))).toEqual([
        'likes/127.0.0.1:2',
        'likes/127.0.0.1:1',
      ]);
      expect(await store.instances.byService('nobody')).toEqual([]);
    });

    it('bumps the change index on every registration and removal, not for a removal of nothing', async () => {
      expect(await bumps(() => store.instances.register(likes(1)))).toBe(1);
      expect(await bumps(() => store.instances.register(likes(1)))).toBe(1);
      expect(await bumps(() => store.instances.deregister('likes', '127.0.0.1:1'))).toBe(1);
      expect(await bumps(() => store.instances.deregister('likes', '127.0.0.1:1'))).toBe(0);
      expect(await store.instances.all()).toEqual([]);
    });

    it("tells this process's listeners after a change", async () => {
      const heard = jest.fn();
      store.index.onChange(heard);
      await store.instances.register(likes(1));
      await new Promise((resolve) => setImmediate(resolve));
      expect(heard).toHaveBeenCalledTimes(1);
    });
  });

  describe('rounds of checks', () => {
    it('bumps once for a round that changes a status or prunes, never for one that changes nothing', async () => {
      await store.instances.register(likes(1));
      await store.instances.register(likes(2));
      // Probed after the last write: a failure then counts.
      const round =
        (...o: CheckOutcome[]) =>
        () =>
          store.instances.applyRound(o, policy, Date.now(), fence);
      expect(await bumps(round(outcome(1, true), outcome(2, true)))).toBe(0);
      expect(await bumps(round(outcome(1, false), outcome(2, false)))).toBe(1);
      expect(await bumps(round(outcome(1, false), outcome(2, false)))).toBe(0);
      expect(await bumps(round(outcome(1, true)))).toBe(1);
      expect(await bumps(round(outcome(2, false)))).toBe(1);
      expect((await store.instances.all()).map((i) => i.id)).toEqual(['127.0.0.1:1']);
    });

    it('counts failures and successes, and records what the check saw', async () => {
      await store.instances.register(likes(1), 1_000);
      await store.instances.applyRound([outcome(1, false)], policy, 2_000, fence, 2_500);
      expect(await store.instances.find('likes', '127.0.0.1:1')).toMatchObject({
        status: 'critical',
        consecutive_failures: 1,
        consecutive_successes: 0,
        critical_since: 2_500,
        last_output: 'HTTP GET: ECONNREFUSED',
      });
      await store.instances.applyRound([outcome(1, true)], policy, 3_000, fence, 3_500);
      expect(await store.instances.find('likes', '127.0.0.1:1')).toMatchObject({
        status: 'passing',
        consecutive_failures: 0,
        consecutive_successes: 1,
        critical_since: null,
        last_output: 'HTTP GET: 200 OK',
        last_seen: 3_500,
      });
    });

    it('leaves an instance in maintenance as it is: never marked critical, never pruned', async () => {
      await store.instances.register(likes(1), 1_000);
      await store.instances.register(likes(2), 1_000);
      await store.instances.register(likes(3), 1_000);
      await store.instances.update('likes', '127.0.0.1:1', { maintenance: { reason: 'r', since: 1_500 } });
      const changes = await store.instances.applyRound([outcome(1, false)], policy, 2_000, fence, 2_500);
      expect(changes.pruned).toEqual([]);
      expect(await store.instances.find('likes', '127.0.0.1:1')).toMatchObject({
        status: 'passing',
        consecutive_failures: 0,
      });
    });

    it('withholds prunes when most of a service fails at once, and reports it', async () => {
      for (const port of [1, 2, 3]) await store.instances.register(likes(port));
      const strict = { ...policy, HEALTH_FAILURES_BEFORE_PRUNE: 1 };
      const changes = await store.instances.applyRound(
        [outcome(1, false), outcome(2, false), outcome(3, true)],
        strict,
        Date.now() + 1,
        fence,
      );
      expect(changes).toEqual({
        pruned: [],
        massFailures: [{ service_name: 'likes', failed: 2, instances: 3, withheld: 2 }],
      });
      expect(await store.instances.all()).toHaveLength(3);
    });

    it('prunes at the threshold and returns what it pruned', async () => {
      await store.instances.register(likes(1));
      await store.instances.register(likes(2));
      const strict = { ...policy, HEALTH_FAILURES_BEFORE_PRUNE: 1 };
      const { pruned } = await store.instances.applyRound([outcome(2, false)], strict, Date.now() + 1, fence);
      expect(pruned.map((i) => i.id)).toEqual(['127.0.0.1:2']);
      expect((await store.instances.all()).map((i) => i.id)).toEqual(['127.0.0.1:1']);
    });

    it('ignores a failure probed before the instance re-registered, and an outcome for one that left', async () => {
      await store.instances.register(likes(1), 5_000);
      const changes = await store.instances.applyRound(
        [outcome(1, false), outcome(7, false)],
        { ...policy, HEALTH_FAILURES_BEFORE_PRUNE: 1 },
        4_000,
        fence,
      );
      expect(changes.pruned).toEqual([]);
      expect(await store.instances.find('likes', '127.0.0.1:1')).toMatchObject({ status: 'passing' });
      expect(await store.instances.find('likes', '127.0.0.1:7')).toBeUndefined();
    });

    it('rechecks: returns the instances passing again, and bumps only then', async () => {
      await store.instances.register(likes(1));
      const at = Date.now() + 1;
      await store.instances.applyRound([outcome(1, false)], policy, at, fence);
      let recovered: { id: string }[] = [];
      expect(await bumps(() => store.instances.applyRecheck([outcome(1, false)], 1, at, fence))).toBe(0);
      expect(
        await bumps(
          async () => (recovered = await store.instances.applyRecheck([outcome(1, true)], 1, at, fence)),
        ),
      ).toBe(1);
      expect(recovered.map((i) => i.id)).toEqual(['127.0.0.1:1']);
    });
  });

  describe('the fenced lease', () => {
    it('grants a free lease, then only to whoever saw its current RVN, one epoch more each time', async () => {
      expect(fence.epoch).toBe(1);
      expect(await store.lease.read()).toEqual({ holder: 'leader', rvn: 'rvn-1', epoch: 1 });
      expect(await store.lease.take('other', null, 'rvn-x')).toBeUndefined();
      expect(await store.lease.take('other', 'stale', 'rvn-x')).toBeUndefined();
      expect(await store.lease.renew('leader', 1, 'rvn-2')).toBe(true);
      expect(await store.lease.take('other', 'rvn-1', 'rvn-x')).toBeUndefined();
      expect(await store.lease.take('other', 'rvn-2', 'rvn-x')).toBe(2);
      expect(await store.lease.renew('leader', 1, 'rvn-3')).toBe(false);
      expect(await store.lease.read()).toEqual({ holder: 'other', rvn: 'rvn-x', epoch: 2 });
    });

    it('lets anyone take a released lease at once', async () => {
      await store.lease.release('someone else', 1);
      expect(await store.lease.take('other', null, 'rvn-x')).toBeUndefined();
      await store.lease.release('leader', 1);
      expect(await store.lease.take('other', null, 'rvn-x')).toBe(2);
    });

    it("refuses a stale leader's writes and changes nothing", async () => {
      await store.instances.register(likes(1));
      const seq = await store.rounds.start('leader', fence, 10);
      await store.lease.take('other', 'rvn-1', 'rvn-x');
      const before = await store.index.current();
      const strict = { ...policy, HEALTH_FAILURES_BEFORE_PRUNE: 1 };
      await expect(
        store.instances.applyRound([outcome(1, false)], strict, Date.now() + 1, fence),
      ).rejects.toThrow(FencedError);
      await expect(
        store.instances.applyRecheck([outcome(1, false)], 1, Date.now() + 1, fence),
      ).rejects.toThrow(FencedError);
      await expect(store.rounds.start('leader', fence)).rejects.toThrow(FencedError);
      const tally = { checked: 1, failed: 1, pruned: 1, unrouted: 0, withheld: 0, withheld_reason: null };
      await expect(store.rounds.finish(seq, tally, fence)).rejects.toThrow(FencedError);
      expect(await store.instances.find('likes', '127.0.0.1:1')).toMatchObject({ status: 'passing' });
      expect(await store.index.current()).toBe(before);
      expect(await store.rounds.recent(5)).toEqual([expect.objectContaining({ seq, finished_at: null })]);
    });
  });

  describe('history', () => {
    it('logs rounds newest first, with their holder and epoch', async () => {
      const first = await store.rounds.start('leader', fence, 10);
      const withheld_reason = 'mass failure: 3 of 3 likes instances failed their check';
      const tally = { checked: 2, failed: 1, pruned: 1, unrouted: 1, withheld: 3, withheld_reason };
      await store.rounds.finish(first, tally, fence, 20);
      const second = await store.rounds.start('leader', fence, 30);
      expect(second).toBeGreaterThan(first);
      expect(await store.rounds.recent(10)).toEqual([
        expect.objectContaining({
          seq: second,
          holder: 'leader',
          epoch: 1,
          started_at: 30,
          finished_at: null,
        }),
        { seq: first, holder: 'leader', epoch: 1, started_at: 10, finished_at: 20, ...tally },
      ]);
      expect(await store.rounds.recent(1)).toHaveLength(1);
    });

    it('keeps checks: per service newest first, and the latest few per instance oldest first', async () => {
      for (const port of [1, 2]) await store.instances.register(likes(port));
      await store.instances.register({ ...likes(3), service_name: 'polls' });
      await store.checks.append([check(1, 100), check(2, 100, false), check(1, 200), check(1, 300)], 1_000);
      await store.checks.append([{ ...check(3, 250), service_name: 'polls' }], 1_000);
      const byService = await store.checks.byService('likes', 3);
      expect(byService.map((c) => [c.instance_id, c.checked_at - minuteAgo])).toEqual([
        ['127.0.0.1:1', 300],
        ['127.0.0.1:1', 200],
        ['127.0.0.1:2', 100],
      ]);
      expect(byService[2]).toEqual(check(2, 100, false));
      const latest = await store.checks.latestPerInstance(2);
      expect(
        latest.map((c) => `${c.service_name}/${c.instance_id}@${c.checked_at - minuteAgo}`).sort(),
      ).toEqual(
        [
          'likes/127.0.0.1:1@200',
          'likes/127.0.0.1:1@300',
          'likes/127.0.0.1:2@100',
          'polls/127.0.0.1:3@250',
        ].sort(),
      );
      const one = latest.filter((c) => c.instance_id === '127.0.0.1:1').map((c) => c.checked_at - minuteAgo);
      expect(one).toEqual([200, 300]);
    });
  });
}
