import { KeyScan } from '../redis/key-scan';
import { type LikesRedis } from '../redis/redis.client';
import { KEYS, LEGACY_KEYS, postMember } from './keys';
import { rethrow } from './redis-errors';

const BATCH = 500;

/**
 * The likes as Chirp kept them before the Cluster layout (a set of likers per post, their times in
 * the users' sorted sets), moved into today's keys. Idempotent: each post is copied (ZADD NX) before
 * its old set is deleted, and the old indexes are deleted only once no old post is left; the new
 * indexes are then built by the repair.
 */
export class LegacyLikesRepository {
  constructor(private readonly redis: LikesRedis) {}

  /** Moves every old post's likes; returns how many posts it moved. */
  async migrate(): Promise<number> {
    let moved = 0;
    const posts = new KeyScan(this.redis, LEGACY_KEYS.likers.match);
    for (let done = false; !done;) {
      const batch = await posts.next(BATCH);
      for (const key of batch.keys) await this.movePost(key, Number(LEGACY_KEYS.likers.name.exec(key)?.[1]));
      moved += batch.keys.length;
      done = batch.done;
    }
    await this.redis.del(LEGACY_KEYS.top).catch(rethrow);
    const users = new KeyScan(this.redis, LEGACY_KEYS.users);
    for (let done = false; !done;) {
      const batch = await users.next(BATCH);
      for (const key of batch.keys) await this.redis.del(key).catch(rethrow);
      done = batch.done;
    }
    return moved;
  }

  private async movePost(key: string, postId: number): Promise<void> {
    const usernames = await this.redis.smembers(key).catch(rethrow);
    const member = postMember(postId);
    const times = await Promise.all(
      usernames.map((u) => this.redis.zscore(LEGACY_KEYS.user(u), member).catch(rethrow)),
    );
    // A like whose time was lost (it never happened with the old script) gets the migration's time.
    const now = String(Date.now());
    const scored = usernames.flatMap((u, i) => [times[i] ?? now, u]);
    if (scored.length > 0) await this.redis.zadd(KEYS.likers(postId), 'NX', ...scored).catch(rethrow);
    await this.redis.incr(KEYS.version(postId)).catch(rethrow);
    await this.redis.del(key).catch(rethrow);
  }
}
