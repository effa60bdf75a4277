import { StoreUnavailableError } from '@app/errors';
import { createMock, type DeepMocked } from '@golevelup/ts-jest';
import { Registry } from 'prom-client';
import type { LikesRedis } from '../redis/redis.client';
import type { IndexesRepository, PostState } from './indexes.repository';
import { LikesRepairService } from './likes-repair.service';
import { RepairMetrics } from './repair-metrics';

describe(LikesRepairService.name, () => {
  const state: PostState = { version: '3', likes: 2, likedAt: 1_000 };
  let indexes: DeepMocked<IndexesRepository>;
  let keys: Record<string, string[]>;
  let zsets: Record<string, string[]>;
  let redis: DeepMocked<LikesRedis>;
  let sut: LikesRepairService;
  let registry: Registry;

  beforeEach(() => {
    jest.useFakeTimers();
    registry = new Registry();
    indexes = createMock<IndexesRepository>({
      write: jest.fn().mockResolvedValue(undefined),
      writeTop: jest.fn().mockResolvedValue({ removed: false }),
      writeUser: jest.fn().mockResolvedValue({ removed: false }),
      postState: jest.fn().mockResolvedValue({ ...state, likers: [] }),
      topPosts: jest.fn().mockResolvedValue([]),
      userPosts: jest.fn().mockResolvedValue([]),
    });
    keys = {};
    // One standalone Redis whose SCAN gives all matching keys in one call.
    const scan = (...args: unknown[]) =>
      Promise.resolve<[string, string[]]>(['0', keys[String(args[2])] ?? []]);
    zsets = {};
    // The sorted sets the open repair reads, by key: members in order.
    const members = (key: string) => zsets[key] ?? [];
    redis = createMock<LikesRedis>({
      options: { host: '127.0.0.1', port: 6379 },
      scan: jest.fn(scan),
      zrange: jest.fn((...args: unknown[]) => {
        const [first, last] = [Number(args[1]), Number(args[2])];
        return Promise.resolve(members(String(args[0])).slice(first, last === -1 ? undefined : last + 1));
      }),
      zcard: jest.fn((...args: unknown[]) => Promise.resolve(members(String(args[0])).length)),
      clearIntent: jest.fn((key: string, username: string) => {
        zsets[key] = members(key).filter((m) => m !== username);
        return Promise.resolve(1);
      }),
      unmark: jest.fn().mockResolvedValue(1),
    });
    sut = new LikesRepairService(
      redis,
      { LIKES_REPAIR_INTERVAL_MS: 60_000, LIKES_REPAIR_BATCH: 10, LIKES_DRILL_HOLD_MS: 0 },
      indexes,
      new RepairMetrics(registry),
    );
  });
  afterEach(() => {
    sut.onApplicationShutdown();
    jest.useRealTimers();
  });

  it('writes the indexes after a change', async () => {
    await sut.follow(7, 'ana', state);
    expect(indexes.write).toHaveBeenCalledWith(7, 'ana', state);
  });

  it("closes the change's intent once its indexes are written, with the change's version", async () => {
    await sut.follow(7, 'ana', state);
    expect(redis.clearIntent).toHaveBeenCalledWith('likes:{post:7}:intents', 'ana', '3');
  });

  it('leaves the intent open when the index writes fail', async () => {
    indexes.write.mockRejectedValueOnce(new Error('redis unavailable'));
    await sut.follow(7, 'ana', state);
    expect(redis.clearIntent).not.toHaveBeenCalled();
  });

  it('closes the open intents of marked posts only, and unmarks a post left with none', async () => {
    zsets['likes:{open:7}:posts'] = ['000000000007'];
    zsets['likes:{open:9}:posts'] = ['000000000009']; // marked, its intents already closed
    zsets['likes:{post:7}:intents'] = ['ana', 'bo'];
    expect(await sut.repairOpen()).toEqual({ posts: 2, intents: 2 });
    expect(indexes.postState).toHaveBeenCalledWith(7, 'ana');
    expect(indexes.postState).toHaveBeenCalledWith(7, 'bo');
    expect(indexes.writeTop).toHaveBeenCalledWith(7, expect.objectContaining({ version: '3' }));
    expect(indexes.writeUser).toHaveBeenCalledWith('bo', 7, expect.objectContaining({ version: '3' }));
    expect(zsets['likes:{post:7}:intents']).toEqual([]);
    expect(indexes.writeTop).toHaveBeenCalledWith(9, expect.objectContaining({ version: '3' }));
    expect(indexes.writeUser).not.toHaveBeenCalledWith(expect.anything(), 9, expect.anything());
    expect(redis.unmark).toHaveBeenCalledWith('likes:{open:7}:posts', '000000000007', 300_000);
    expect(redis.unmark).toHaveBeenCalledWith('likes:{open:9}:posts', '000000000009', 300_000);
    expect(redis.scan).not.toHaveBeenCalled(); // no walk
  });

  it('counts its runs by result, and the intents it closed, for /metrics', async () => {
    zsets['likes:{open:7}:posts'] = ['000000000007'];
    zsets['likes:{post:7}:intents'] = ['ana', 'bo'];
    await sut.repairOpen();
    redis.zrange.mockRejectedValueOnce(new StoreUnavailableError('redis'));
    await expect(sut.repairOpen()).rejects.toThrow(StoreUnavailableError);
    const text = await registry.metrics();
    expect(text).toContain('chirp_likes_repair_runs_total{result="done"} 1');
    expect(text).toContain('chirp_likes_repair_runs_total{result="failed"} 1');
    expect(text).toContain('chirp_likes_repair_intents_closed_total 2');
  });

  it('retries a failed index write a second later, with the post as it is then', async () => {
    indexes.write.mockRejectedValueOnce(new Error('redis unavailable'));
    await sut.follow(7, 'ana', state);
    sut.onApplicationBootstrap();
    const now: PostState = { version: '4', likes: 1, likedAt: null };
    indexes.postState.mockResolvedValue({ ...now, likers: [] });
    await jest.advanceTimersByTimeAsync(1_000);
    expect(indexes.postState).toHaveBeenCalledWith(7, 'ana');
    expect(indexes.write).toHaveBeenLastCalledWith(7, 'ana', { ...now, likers: [] });
    indexes.write.mockClear();
    await jest.advanceTimersByTimeAsync(1_000);
    expect(indexes.write).not.toHaveBeenCalled();
  });

  it('walks likers into both indexes, then checks users and the top list, in bounded runs', async () => {
    keys['likes:{post:*}:likers'] = ['likes:{post:1}:likers', 'likes:{post:2}:likers'];
    keys['likes:{user:*}:posts'] = ['likes:{user:bo}:posts'];
    indexes.postState.mockResolvedValue({ ...state, likers: [{ username: 'ana', likedAt: 5 }] });
    indexes.userPosts.mockResolvedValue([9]);
    indexes.topPosts.mockResolvedValue([1, 2]);

    await expect(sut.repairAll()).resolves.toBe(1);
    expect(indexes.writeTop).toHaveBeenCalledWith(1, expect.objectContaining({ version: '3', likes: 2 }));
    expect(indexes.writeUser).toHaveBeenCalledWith('ana', 1, expect.objectContaining({ likedAt: 5 }));
    expect(indexes.userPosts).toHaveBeenCalledWith('bo', 0, 500);
    expect(indexes.postState).toHaveBeenCalledWith(9, 'bo');
    expect(indexes.writeUser).toHaveBeenCalledWith('bo', 9, expect.objectContaining({ version: '3' }));
    expect(indexes.writeTop).toHaveBeenCalledTimes(4); // two posts from their likers, two top entries
  });

  it('stops a run at its budget and goes on from there in the next', async () => {
    keys['likes:{post:*}:likers'] = Array.from({ length: 3 }, (_, i) => `likes:{post:${i + 1}}:likers`);
    await expect(sut.runOnce(2)).resolves.toBe(false);
    await expect(sut.runOnce(2)).resolves.toBe(true);
  });

  it('does not skip top entries when the ones before them are removed in the same run', async () => {
    // The top list: posts 1..5, of which 1, 2 and 4 have no likes left.
    let top = [1, 2, 3, 4, 5];
    const gone = new Set([1, 2, 4]);
    indexes.topPosts.mockImplementation((first, n) => Promise.resolve(top.slice(first, first + n)));
    indexes.postState.mockImplementation((postId) =>
      Promise.resolve({ ...state, likes: gone.has(postId) ? 0 : 2, likers: [] }),
    );
    indexes.writeTop.mockImplementation((postId, { likes }) => {
      if (likes === 0) top = top.filter((p) => p !== postId);
      return Promise.resolve({ removed: likes === 0 });
    });
    sut = new LikesRepairService(
      createMock<LikesRedis>({
        scan: jest.fn(() => Promise.resolve<[string, string[]]>(['0', []])),
      }),
      { LIKES_REPAIR_INTERVAL_MS: 60_000, LIKES_REPAIR_BATCH: 2, LIKES_DRILL_HOLD_MS: 0 },
      indexes,
      new RepairMetrics(new Registry()),
    );
    await sut.repairAll();
    expect(top).toEqual([3, 5]);
  });

  it("does not skip a user's entries when the ones before them are removed", async () => {
    keys['likes:{user:*}:posts'] = ['likes:{user:bo}:posts'];
    let liked = Array.from({ length: 600 }, (_, i) => i + 1); // two pages; the first 550 are gone
    indexes.userPosts.mockImplementation((_user, first, n) => Promise.resolve(liked.slice(first, first + n)));
    indexes.postState.mockImplementation((postId) =>
      Promise.resolve({ ...state, likedAt: postId <= 550 ? null : 5, likers: [] }),
    );
    indexes.writeUser.mockImplementation((_user, postId, { likedAt }) => {
      if (likedAt === null) liked = liked.filter((p) => p !== postId);
      return Promise.resolve({ removed: likedAt === null });
    });
    await sut.repairAll();
    expect(liked).toEqual(Array.from({ length: 50 }, (_, i) => 551 + i));
  });

  it('writes over an index entry newer than its post, moving the post up to it first', async () => {
    // A failover lost post 1's last writes (the post is at version 3), not its top entry's (version 5).
    keys['likes:{post:*}:likers'] = ['likes:{post:1}:likers'];
    indexes.writeTop.mockResolvedValueOnce({ removed: false, newer: '5' });
    const moved: PostState = { version: '5', likes: 2, likedAt: null };
    indexes.postState.mockImplementation((_postId, _user, _first, _n, atLeast) =>
      Promise.resolve({ ...(atLeast === '5' ? moved : state), likers: [] }),
    );
    await sut.repairAll();
    expect(indexes.postState).toHaveBeenCalledWith(1, '', 0, 0, '5');
    expect(indexes.writeTop).toHaveBeenNthCalledWith(
      2,
      1,
      expect.objectContaining({ version: '5', likes: 2 }),
    );
  });
});
