/**
 * Where likes live in Redis, standalone or Cluster alike. A like is recorded in its post's slot (the
 * `{post:ID}` hash tag: the likers and the post's change counter move together, so one script checks,
 * adds and counts atomically); the top list and each user's likes are indexes in their own slots,
 * written after the like with the post's version so that a late write never undoes a newer one.
 * Post ids are stored zero-padded, so members of equal score sort by id: the top list breaks ties by
 * post id (higher id, i.e. newer post, first) in a stable order.
 */
export const KEYS = {
  /** Sorted set of the usernames that like a post, scored by the time of the like (ms): the truth. */
  likers: (postId: number): string => `likes:{post:${postId}}:likers`,
  /** The post's version: incremented by every like and unlike of the post. */
  version: (postId: number): string => `likes:{post:${postId}}:version`,
  /**
   * The post's open intents: the users whose change of it has not reached both indexes yet, scored by
   * the post version of that change. Written by the change's own script, cleared once both index
   * writes have landed; what a killed instance leaves here is what the repair reads.
   */
  intents: (postId: number): string => `likes:{post:${postId}}:intents`,
  /**
   * Posts that may hold open intents, scored by the time (ms, Redis's clock) they were last marked,
   * in {@link OPEN_SHARDS} keys so that no one slot takes every like. A post is marked before each
   * change of it, so the repair finds every open intent without walking the keyspace.
   */
  openPosts: (postId: number): string => `likes:{open:${postId % OPEN_SHARDS}}:posts`,
  /** The key layout the store holds ("2": intents; missing: older, which the first `--init` walks once). */
  layout: 'likes:{meta}:layout',
  /** Index: sorted set of posts scored by their like count. */
  top: 'likes:{top}:posts',
  /** The post version each top entry was written at. */
  topVersions: 'likes:{top}:versions',
  /** Index: sorted set of the posts a user likes, scored by the time of the like (ms). */
  user: (username: string): string => `likes:{user:${username}}:posts`,
  /** The post version each of the user's entries was written at. */
  userVersions: (username: string): string => `likes:{user:${username}}:versions`,
};

/** How many keys the marked posts are spread over. */
export const OPEN_SHARDS = 16;

/** Every key of marked posts. */
export const openPostKeys = (): string[] =>
  Array.from({ length: OPEN_SHARDS }, (_, shard) => KEYS.openPosts(shard));

/** The layout value this version writes. */
export const LAYOUT = '2';

/** SCAN patterns of the keys the repair walks, and the post id or username each key names. */
export const KEY_PATTERNS = {
  likers: { match: 'likes:{post:*}:likers', name: /^likes:\{post:(\d+)\}:likers$/ },
  user: { match: 'likes:{user:*}:posts', name: /^likes:\{user:(.+)\}:posts$/ },
};

/** The keys of Chirp before the Cluster layout (one slot-blind Lua script), migrated by `--init`. */
export const LEGACY_KEYS = {
  likers: { match: 'likes:post:*:users', name: /^likes:post:(\d+):users$/ },
  top: 'likes:top',
  user: (username: string): string => `likes:user:${username}:posts`,
  users: 'likes:user:*:posts',
};

const MEMBER_DIGITS = 12;

/** The sorted-set member of a post id. */
export function postMember(postId: number): string {
  return String(postId).padStart(MEMBER_DIGITS, '0');
}

/** The post id of a sorted-set member. */
export function postIdOf(member: string): number {
  return Number(member);
}
