import { Inject, Injectable } from '@nestjs/common';
import { type LikesRedis } from '../redis/redis.client';
import { REDIS } from '../redis/redis.module';
import { KEYS, postIdOf, postMember } from './keys';
import { rethrow } from './redis-errors';

/** A post as of one version: its like count, and one user's like time (null when they do not like it). */
export interface PostState {
  version: string;
  likes: number;
  likedAt: number | null;
}

/** What an index write did: whether it removed the entry; `newer` when it was dropped for the version there. */
export interface IndexWrite {
  removed: boolean;
  newer?: string;
}

/** One liker of a post and the time of the like. */
export interface Liker {
  username: string;
  likedAt: number;
}

/**
 * The indexes that follow the likes (the top list, each user's likes), in their own slots. Every
 * write carries the post's version and is dropped when the index already holds a newer one, so writes
 * may come late, twice, or from a repair running beside live traffic, and the newest state still wins.
 */
@Injectable()
export class IndexesRepository {
  constructor(@Inject(REDIS) private readonly redis: LikesRedis) {}

  /** Brings the post's top entry and, with a username, the user's entry for the post up to `state`. */
  async write(postId: number, username: string | undefined, state: PostState): Promise<void> {
    await Promise.all([
      this.writeTop(postId, state),
      username === undefined ? undefined : this.writeUser(username, postId, state),
    ]);
  }

  /** Brings the post's top entry up to `state`. */
  async writeTop(postId: number, state: PostState): Promise<IndexWrite> {
    const score = state.likes > 0 ? String(state.likes) : '';
    return outcome(
      await this.redis
        .setIndex(KEYS.top, KEYS.topVersions, postMember(postId), state.version, score)
        .catch(rethrow),
      score,
    );
  }

  /** Brings the user's entry for the post up to `state`. */
  async writeUser(username: string, postId: number, state: PostState): Promise<IndexWrite> {
    const score = state.likedAt === null ? '' : String(state.likedAt);
    return outcome(
      await this.redis
        .setIndex(KEYS.user(username), KEYS.userVersions(username), postMember(postId), state.version, score)
        .catch(rethrow),
      score,
    );
  }

  /**
   * The post's state for `username` (or none), and its likers from rank `first` (up to `n`), all as of
   * one version; with `atLeast`, the post's version is first moved up to it if it is behind (the repair,
   * for an index entry newer than its post: a failover lost the post's last writes, not the index's).
   */
  async postState(
    postId: number,
    username = '',
    first = 0,
    n = 0,
    atLeast = '0',
  ): Promise<PostState & { likers: Liker[] }> {
    const [version, likes, at, flat] = await this.redis
      .postState(KEYS.likers(postId), KEYS.version(postId), username, first, n, atLeast)
      .catch(rethrow);
    const likers: Liker[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2)
      likers.push({ username: flat[i], likedAt: Number(flat[i + 1]) });
    return { version, likes: Number(likes), likedAt: at === '' ? null : Number(at), likers };
  }

  /** Up to `n` post ids of the top list from rank `first`, in the list's order. */
  async topPosts(first: number, n: number): Promise<number[]> {
    return (await this.redis.zrevrange(KEYS.top, first, first + n - 1).catch(rethrow)).map(postIdOf);
  }

  /** Up to `n` post ids of a user's likes from rank `first`, oldest first. */
  async userPosts(username: string, first: number, n: number): Promise<number[]> {
    return (
      await this.redis.zrange(KEYS.user(username), String(first), String(first + n - 1)).catch(rethrow)
    ).map(postIdOf);
  }
}

const outcome = ([written, newer]: [number, string?], score: string): IndexWrite =>
  written === 1 ? { removed: score === '' } : { removed: false, newer };
