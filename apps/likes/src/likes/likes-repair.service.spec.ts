import type { LikesRedis } from '../redis/redis.client';
import type { IndexesRepository, PostState } from './indexes.repository';
import { LikesRepairService } from './likes-repair.service';

describe(LikesRepairService.name, () => {
  const state: PostState = { version: '3', likes: 2, likedAt: 1_000 };
  let indexes: jest.Mocked<
    Pick<IndexesRepository, 'write' | 'writeTop' | 'writeUser' | 'postState' | 'topPosts' | 'userPosts'>
  >;
  let keys: Record<string, string[]>;
  let sut: LikesRepairService;

  beforeEach(() => {
    jest.useFakeTimers();
    indexes = {
      write: jest.fn().mockResolvedValue(undefined),
      writeTop: jest.fn().mockResolvedValue(undefined),
      writeUser: jest.fn().mockResolvedValue(undefined),
      postState: jest.fn().mockResolvedValue({ ...state, likers: [] }),
      topPosts: jest.fn().mockResolvedValue([]),
      userPosts: jest.fn().mockResolvedValue([]),
    };
    keys = {};
    // One standalone Redis whose SCAN gives all matching keys in one call.
    const redis = {
      options: { host: '127.0.0.1', port: 6379 },
      scan: jest.fn((_cursor: string, _m: string, match: string) =>
        Promise.resolve(['0', keys[match] ?? []]),
      ),
    };
    sut = new LikesRepairService(
      redis as unknown as LikesRedis,
      { LIKES_REPAIR_INTERVAL_MS: 60_000, LIKES_REPAIR_BATCH: 10 },
      indexes as unknown as IndexesRepository,
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
});
