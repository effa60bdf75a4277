import { StoreUnavailableError } from '@app/errors';
import { Inject, Injectable } from '@nestjs/common';
import { type LikesRedis, REDIS } from '../redis/redis.module';
import type { PageCursor } from './cursor';
import { KEYS, postIdOf, postMember } from './keys';

/** The outcome of a like or unlike: the post's count after it and the time of the like. */
export interface LikeChange {
  likes: number;
  likedAt: number;
}

/** One of a user's likes. */
export interface UserLike {
  postId: number;
  likedAt: number;
}

// Replies that mean "Redis cannot serve now" rather than "this request is wrong".
const UNAVAILABLE_REPLIES =
  /^(LOADING|BUSY|MISCONF|OOM|READONLY|MASTERDOWN|CLUSTERDOWN|TRYAGAIN|NOREPLICAS)\b/;

/** Redis errors in the domain's words: anything that means Redis is away or cannot serve is "redis unavailable". */
export function redisError(error: unknown): unknown {
  const isReply = error instanceof Error && error.name === 'ReplyError';
  if (isReply && !UNAVAILABLE_REPLIES.test(error.message)) return error;
  return new StoreUnavailableError('redis');
}

/** Likes in Redis: the only code that talks to the Redis client. Every write is one Lua script. */
@Injectable()
export class LikesRepository {
  constructor(@Inject(REDIS) private readonly redis: LikesRedis) {}

  /** Adds the like; `created` is false (and nothing changed) when the user already liked the post. */
  async like(postId: number, username: string): Promise<LikeChange & { created: boolean }> {
    const [added, likes, likedAt] = await this.redis
      .like(KEYS.likers(postId), KEYS.top, KEYS.user(username), postMember(postId), username)
      .catch(rethrow);
    return { created: Number(added) === 1, likes: Number(likes), likedAt: Number(likedAt) };
  }

  /** Removes the like; undefined when there was none. */
  async unlike(postId: number, username: string): Promise<LikeChange | undefined> {
    const [removed, likes, likedAt] = await this.redis
      .unlike(KEYS.likers(postId), KEYS.top, KEYS.user(username), postMember(postId), username)
      .catch(rethrow);
    return Number(removed) === 1 ? { likes: Number(likes), likedAt: Number(likedAt) } : undefined;
  }

  async count(postId: number): Promise<number> {
    return Number(await this.redis.zscore(KEYS.top, postMember(postId)).catch(rethrow));
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

function rethrow(error: unknown): never {
  throw redisError(error);
}

function pairs(flat: string[]): [string, number][] {
  const result: [string, number][] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) result.push([flat[i], Number(flat[i + 1])]);
  return result;
}
