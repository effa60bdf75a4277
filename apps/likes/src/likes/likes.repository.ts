import { Inject, Injectable } from '@nestjs/common';
import { Cluster } from 'ioredis';
import { type LikesRedis } from '../redis/redis.client';
import { REDIS } from '../redis/redis.module';
import type { PageCursor } from './cursor';
import type { PostState } from './indexes.repository';
import { KEYS, postIdOf, postMember } from './keys';
import { rethrow } from './redis-errors';

/** One of a user's likes. */
export interface UserLike {
  postId: number;
  likedAt: number;
}

/**
 * Likes in Redis: each like or unlike is one script in the post's slot (the check, the change and
 * the count together); reads of a count come from there too. The top list and the users' likes are
 * read here and written by {@link IndexesRepository}.
 */
@Injectable()
export class LikesRepository {
  constructor(@Inject(REDIS) private readonly redis: LikesRedis) {}

  /**
   * Adds the like, and its intent (the indexes still to write); `created` is false (and nothing
   * changed) when the user already liked the post. The post is marked first, so the repair finds the
   * intent if this instance dies before the indexes are written.
   */
  async like(postId: number, username: string): Promise<PostState & { created: boolean; likedAt: number }> {
    const [added, likes, likedAt, version] = await this.marked(postId, () =>
      this.redis.like(KEYS.likers(postId), KEYS.version(postId), KEYS.intents(postId), username),
    );
    return {
      created: Number(added) === 1,
      likes: Number(likes),
      likedAt: Number(likedAt),
      version: String(version),
    };
  }

  /** Removes the like; undefined when there was none. `likedAt` is when the removed like was made. */
  async unlike(postId: number, username: string): Promise<(PostState & { likedAt: number }) | undefined> {
    const [removed, likes, likedAt, version] = await this.marked(postId, () =>
      this.redis.unlike(KEYS.likers(postId), KEYS.version(postId), KEYS.intents(postId), username),
    );
    if (Number(removed) !== 1) return undefined;
    return { likes: Number(likes), likedAt: Number(likedAt), version: String(version) };
  }

  /**
   * Marks the post, then runs `change`. On one Redis both go down one connection back to back (Redis
   * runs them in that order: one round trip); on a cluster they are on different masters, so the mark
   * is awaited first.
   */
  private async marked<T>(postId: number, change: () => Promise<T>): Promise<T> {
    const mark = this.redis.mark(KEYS.openPosts(postId), postMember(postId));
    if (this.redis instanceof Cluster) {
      await mark.catch(rethrow);
      return change().catch(rethrow);
    }
    const [, result] = await Promise.all([mark, change()]).catch(rethrow);
    return result;
  }

  async count(postId: number): Promise<number> {
    return this.redis.zcard(KEYS.likers(postId)).catch(rethrow);
  }

  /** The `limit` most liked posts, highest count first, ties by higher post id first. */
  async top(limit: number): Promise<{ postId: number; likes: number }[]> {
    const flat = await this.redis.zrevrange(KEYS.top, 0, limit - 1, 'WITHSCORES').catch(rethrow);
    return pairs(flat).map(([member, score]) => ({ postId: postIdOf(member), likes: score }));
  }

  /** Up to `limit` of the user's likes after `cursor`, newest first, and how many likes the user has. */
  async userLikes(
    username: string,
    cursor: PageCursor | undefined,
    limit: number,
  ): Promise<{ total: number; likes: UserLike[] }> {
    const [total, flat] = await this.redis
      .userPage(
        KEYS.user(username),
        cursor ? postMember(cursor.postId) : '',
        cursor ? String(cursor.likedAt) : '0',
        limit,
      )
      .catch(rethrow);
    const likes = pairs(flat).map(([member, score]) => ({ postId: postIdOf(member), likedAt: score }));
    return { total: Number(total), likes };
  }
}

function pairs(flat: string[]): [string, number][] {
  const result: [string, number][] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) result.push([flat[i], Number(flat[i + 1])]);
  return result;
}
