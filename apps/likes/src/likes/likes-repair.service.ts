import { StoreUnavailableError } from '@app/errors';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { KeyScan } from '../redis/key-scan';
import { type LikesRedis } from '../redis/redis.client';
import { REDIS } from '../redis/redis.module';
import { LIKES_CONFIG, type LikesConfig } from '../likes.config';
import { type IndexWrite, IndexesRepository, type PostState } from './indexes.repository';
import { KEY_PATTERNS, KEYS, openPostKeys, postIdOf } from './keys';
import { rethrow } from './redis-errors';
import { RepairMetrics } from './repair-metrics';

// Likers (or a user's likes) read per call when a post (or a user) is repaired, how soon a failed index write is retried, and how
// many retries are kept (past that, a long outage is left to the open intents).
const LIKERS_PAGE = 500;
const RETRY_MS = 1_000;
const MAX_PENDING = 10_000;
/**
 * How long a marked post stays marked after its last change, though its intents are all closed: a
 * change marks its post before its script runs, and a script held up in a connection (Redis paused,
 * a slow network) may record its intent that much later. Far above any command's timeout.
 */
export const MARK_GRACE_MS = 300_000;

/** What one repair of the open intents found. */
export interface OpenRepair {
  /** Marked posts looked at. */
  posts: number;
  /** Open intents found (and closed). */
  intents: number;
}

/**
 * Keeps the top list and the users' likes in step with the likes (the truth, in each post's slot).
 * Writes them after each change ({@link follow}) and closes the change's intent; a write that fails
 * is retried shortly. What a killed instance left half done is an open intent in its post's slot,
 * on a marked post: the repair ({@link repairOpen}, at boot, then every `LIKES_REPAIR_INTERVAL_MS`)
 * reads only those, so its cost follows the recent changes, never the keyspace. The whole walk
 * ({@link repairAll}, `main.js --repair`, and once when `--init` finds an older layout) rebuilds
 * everything, for indexes that drifted by other means. Every write is versioned, so both are
 * idempotent and safe beside live traffic and other instances' repairs.
 */
@Injectable()
export class LikesRepairService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('LikesRepair');
  private readonly pending = new Map<string, { postId: number; username: string }>();
  private pass: ReturnType<LikesRepairService['newPass']>;
  private running?: Promise<boolean>;
  private opening?: Promise<OpenRepair>;
  private timers: NodeJS.Timeout[] = [];

  constructor(
    @Inject(REDIS) private readonly redis: LikesRedis,
    @Inject(LIKES_CONFIG)
    private readonly config: Pick<
      LikesConfig,
      'LIKES_REPAIR_INTERVAL_MS' | 'LIKES_REPAIR_BATCH' | 'LIKES_DRILL_HOLD_MS'
    >,
    private readonly indexes: IndexesRepository,
    private readonly metrics: RepairMetrics,
  ) {
    this.pass = this.newPass(); // here, not as a field initializer: that would run before `redis` is set
  }

  onApplicationBootstrap(): void {
    const run = () =>
      void this.repairOpen().catch((e: unknown) => this.logger.warn(`repair run failed: ${String(e)}`));
    this.timers = [
      setTimeout(run, RETRY_MS),
      setInterval(run, this.config.LIKES_REPAIR_INTERVAL_MS),
      setInterval(() => void this.retryPending(), RETRY_MS),
    ];
    this.timers.forEach((t) => t.unref());
  }

  onApplicationShutdown(): void {
    this.timers.forEach(clearTimeout);
  }

  /**
   * Brings the indexes up to `state` of the post (and the user's like of it), then closes the change's
   * intent (not awaited: left open, it only makes the repair write the same entries again); on
   * failure, retries soon.
   */
  async follow(postId: number, username: string, state: PostState): Promise<void> {
    if (this.config.LIKES_DRILL_HOLD_MS > 0) {
      // A drill's window to kill the instance between a change and its indexes.
      this.logger.warn(`drill: holding post ${postId} for ${this.config.LIKES_DRILL_HOLD_MS} ms`);
      await sleep(this.config.LIKES_DRILL_HOLD_MS);
    }
    try {
      await this.indexes.write(postId, username, state);
      void this.close(postId, username, state.version).catch(() => undefined);
    } catch (error) {
      this.logger.warn(`indexes of post ${postId} left for repair: ${String(error)}`);
      this.later(postId, username);
    }
  }

  /**
   * Closes every open intent on the marked posts: each user's entries written from the post as it is
   * now, then the intent cleared; a post with none left (and no change for {@link MARK_GRACE_MS}) is
   * unmarked. Runs never overlap.
   */
  repairOpen(): Promise<OpenRepair> {
    this.opening ??= this.closeOpen()
      .then(
        (found) => {
          this.metrics.done(found.intents);
          return found;
        },
        (error: unknown) => {
          this.metrics.failed();
          throw error;
        },
      )
      .finally(() => (this.opening = undefined));
    return this.opening;
  }

  /**
   * Has the indexes of the user's like of the post checked soon: after a write whose outcome is
   * unknown (Redis failed to answer, yet may have applied it) or whose indexes could not be written.
   */
  later(postId: number, username: string): void {
    if (this.pending.size < MAX_PENDING) this.pending.set(`${postId} ${username}`, { postId, username });
  }

  /** One bounded run of the walk; true when it finished a whole pass. Runs never overlap. */
  runOnce(budget = this.config.LIKES_REPAIR_BATCH): Promise<boolean> {
    this.running ??= this.step(budget).finally(() => (this.running = undefined));
    return this.running;
  }

  /** Runs until a whole pass is done (`--repair`, `--init`); returns the runs it took. */
  async repairAll(): Promise<number> {
    this.pass = this.newPass();
    let runs = 1;
    while (!(await this.runOnce())) runs++;
    return runs;
  }

  private async retryPending(): Promise<void> {
    for (const [key, { postId, username }] of this.pending) {
      try {
        const state = await this.indexes.postState(postId, username);
        await this.indexes.write(postId, username, state);
        await this.close(postId, username, state.version);
        this.pending.delete(key);
      } catch {
        return; // Redis still away: the next tick tries again.
      }
    }
  }

  private async closeOpen(): Promise<OpenRepair> {
    const found: OpenRepair = { posts: 0, intents: 0 };
    for (const key of openPostKeys()) {
      // All of a shard at once, not by rank: a mark moves its post to the end, an unmark moves the
      // ones after it up, so pages by rank would skip posts. Its size follows the recent changes.
      const marked = await this.redis.zrange(key, '0', '-1').catch(rethrow);
      for (const member of marked) {
        found.posts++;
        try {
          found.intents += await this.closePost(key, member);
        } catch (error) {
          if (error instanceof StoreUnavailableError) throw error; // Redis away: the next run
          // One post that cannot be repaired (a key of the wrong type, a hand edit) holds up no other.
          this.logger.warn(`post ${postIdOf(member)} left open: ${String(error)}`);
        }
      }
    }
    if (found.intents > 0)
      this.logger.log(`closed ${found.intents} open intents on ${found.posts} marked posts`);
    return found;
  }

  /**
   * Closes a marked post's intents: each user's entry written from the post as it is now, the intent
   * cleared; then its top entry, once, open intents or not (which also heals one a failover left newer
   * than the post; its user entries need --repair: the lost intent named the user). How many it closed.
   */
  private async closePost(key: string, member: string): Promise<number> {
    const postId = postIdOf(member);
    const usernames = await this.redis.zrange(KEYS.intents(postId), '0', '-1').catch(rethrow);
    for (const username of usernames) {
      const state = await this.indexes.postState(postId, username);
      await this.repairUserEntry(username, postId, state);
      await this.close(postId, username, state.version);
    }
    await this.repairTop(postId, await this.indexes.postState(postId));
    if ((await this.redis.zcard(KEYS.intents(postId)).catch(rethrow)) === 0) {
      await this.redis.unmark(key, member, MARK_GRACE_MS).catch(rethrow);
    }
    return usernames.length;
  }

  private async close(postId: number, username: string, version: string): Promise<void> {
    await this.redis.clearIntent(KEYS.intents(postId), username, version).catch(rethrow);
  }

  private newPass() {
    return {
      likers: new KeyScan(this.redis, KEY_PATTERNS.likers.match),
      users: new KeyScan(this.redis, KEY_PATTERNS.user.match),
      phase: 'likers' as 'likers' | 'users' | 'top',
      topRank: 0,
    };
  }

  // Three phases: every post's likers into both indexes (adds what is missing), then every user's
  // likes and every top entry checked against their posts (removes what is stale).
  private async step(budget: number): Promise<boolean> {
    const pass = this.pass;
    let left = budget;
    if (pass.phase === 'likers') {
      const { keys, done } = await pass.likers.next(left);
      for (const key of keys) await this.repairPost(Number(KEY_PATTERNS.likers.name.exec(key)?.[1]));
      left -= keys.length;
      if (done) pass.phase = 'users';
    }
    if (pass.phase === 'users' && left > 0) {
      const { keys, done } = await pass.users.next(left);
      for (const key of keys) await this.repairUser(KEY_PATTERNS.user.name.exec(key)?.[1] ?? '');
      left -= keys.length;
      if (done) pass.phase = 'top';
    }
    if (pass.phase === 'top' && left > 0) {
      const posts = await this.indexes.topPosts(pass.topRank, left);
      for (const postId of posts) {
        const removed = await this.repairTop(postId, await this.indexes.postState(postId));
        if (!removed) pass.topRank++; // a removed entry moved the next ones up a rank
      }
      if (posts.length < left) {
        this.pass = this.newPass();
        return true;
      }
    }
    return false;
  }

  private async repairPost(postId: number): Promise<void> {
    for (let first = 0; ; first += LIKERS_PAGE) {
      const state = await this.indexes.postState(postId, '', first, LIKERS_PAGE);
      await this.repairTop(postId, state);
      await Promise.all(
        state.likers.map((l) => this.repairUserEntry(l.username, postId, { ...state, ...l })),
      );
      if (state.likers.length < LIKERS_PAGE) return;
    }
  }

  private async repairUser(username: string): Promise<void> {
    for (let first = 0; ;) {
      const posts = await this.indexes.userPosts(username, first, LIKERS_PAGE);
      for (const postId of posts) {
        const removed = await this.repairUserEntry(
          username,
          postId,
          await this.indexes.postState(postId, username),
        );
        if (!removed) first++; // a removed entry moved the next ones up a rank
      }
      if (posts.length < LIKERS_PAGE) return;
    }
  }

  private repairTop(postId: number, state: PostState): Promise<boolean> {
    return this.writeOver(postId, '', state, (now) => this.indexes.writeTop(postId, now));
  }

  private repairUserEntry(username: string, postId: number, state: PostState): Promise<boolean> {
    return this.writeOver(postId, username, state, (now) => this.indexes.writeUser(username, postId, now));
  }

  /**
   * Writes one index entry of the post from `state`; returns whether that removed the entry. An entry
   * newer than its post can only be left by a failover that lost the post's last writes (Redis
   * replicates asynchronously) but not the index's: the post's version is moved up to the entry's, and
   * the post as it is now is written over it. (Dropped for a live write that came between, the same
   * step just rewrites the newer state.)
   */
  private async writeOver(
    postId: number,
    username: string,
    state: PostState,
    write: (state: PostState) => Promise<IndexWrite>,
  ): Promise<boolean> {
    const { removed, newer } = await write(state);
    if (newer === undefined) return removed;
    return (await write(await this.indexes.postState(postId, username, 0, 0, newer))).removed;
  }
}
