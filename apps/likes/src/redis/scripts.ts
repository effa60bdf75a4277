/**
 * The Lua scripts behind every write, defined once on the client (`defineCommand`). Each touches the
 * keys of one slot only (see likes/keys.ts), so each runs atomically on a Redis Cluster as on one Redis.
 */

/**
 * Adds a like in the post's slot, with its intent. KEYS: [1] likers, [2] post version, [3] intents.
 * ARGV: [1] username.
 * Returns {1, count, likedAtMs, version} when added, {0, count, likedAtMs, version} when it existed.
 */
export const LIKE_SCRIPT = `
local at = redis.call('ZSCORE', KEYS[1], ARGV[1])
if at then
  return {0, redis.call('ZCARD', KEYS[1]), at, redis.call('GET', KEYS[2]) or '0'}
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], now, ARGV[1])
local version = redis.call('INCR', KEYS[2])
redis.call('ZADD', KEYS[3], version, ARGV[1])
return {1, redis.call('ZCARD', KEYS[1]), tostring(now), version}
`;

/**
 * Removes a like in the post's slot, with its intent. KEYS: [1] likers, [2] post version, [3] intents.
 * ARGV: [1] username. Returns {1, count, likedAtMs, version} when removed, {0} when there was none.
 */
export const UNLIKE_SCRIPT = `
local at = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not at then
  return {0}
end
redis.call('ZREM', KEYS[1], ARGV[1])
local version = redis.call('INCR', KEYS[2])
redis.call('ZADD', KEYS[3], version, ARGV[1])
return {1, redis.call('ZCARD', KEYS[1]), at, version}
`;

/**
 * Clears a user's intent once both indexes hold the post at `version` or later; a later change's
 * intent (a higher version) stays. KEYS: [1] intents. ARGV: [1] username, [2] version. Returns 1 when cleared.
 */
export const CLEAR_INTENT_SCRIPT = `
local at = redis.call('ZSCORE', KEYS[1], ARGV[1])
if at and tonumber(at) <= tonumber(ARGV[2]) then
  return redis.call('ZREM', KEYS[1], ARGV[1])
end
return 0
`;

/** Marks a post as possibly holding open intents, at Redis's time. KEYS: [1] marked posts. ARGV: [1] member. */
export const MARK_SCRIPT = `
local t = redis.call('TIME')
redis.call('ZADD', KEYS[1], tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000), ARGV[1])
return 1
`;

/**
 * Unmarks a post whose intents the repair found empty, unless it was marked within the last
 * ARGV[2] ms (a change marked then may not have recorded its intent yet). KEYS: [1] marked posts.
 * ARGV: [1] member, [2] grace ms. Returns 1 when unmarked.
 */
export const UNMARK_SCRIPT = `
local at = redis.call('ZSCORE', KEYS[1], ARGV[1])
local t = redis.call('TIME')
if at and tonumber(at) <= tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) - tonumber(ARGV[2]) then
  return redis.call('ZREM', KEYS[1], ARGV[1])
end
return 0
`;

/**
 * A consistent view of part of a post, for the indexes. KEYS: [1] likers, [2] post version.
 * ARGV: [1] a username ('' for none), [2] first rank, [3] how many likers (0 for none), [4] a version
 * the post's must reach first ('0' for none: only the repair asks, for an index entry newer than the
 * post, left by a failover that lost the post's last writes but not the index's).
 * Returns {version, count, the username's likedAtMs or '', likers page flat with scores}.
 */
export const POST_STATE_SCRIPT = `
if tonumber(redis.call('GET', KEYS[2]) or '0') < tonumber(ARGV[4]) then
  redis.call('SET', KEYS[2], ARGV[4])
end
local at = ''
if ARGV[1] ~= '' then at = redis.call('ZSCORE', KEYS[1], ARGV[1]) or '' end
local page = {}
local n = tonumber(ARGV[3])
if n > 0 then
  local first = tonumber(ARGV[2])
  page = redis.call('ZRANGE', KEYS[1], first, first + n - 1, 'WITHSCORES')
end
return {redis.call('GET', KEYS[2]) or '0', redis.call('ZCARD', KEYS[1]), at, page}
`;

/**
 * Writes one index entry unless a newer version of the post is already there (so writes that arrive
 * late or twice change nothing). KEYS: [1] index zset, [2] its versions hash.
 * ARGV: [1] member, [2] post version, [3] score ('' to remove the entry).
 * Returns {1} when written, {0, the newer version} when not.
 */
export const SET_INDEX_SCRIPT = `
local known = redis.call('HGET', KEYS[2], ARGV[1]) or '0'
if tonumber(known) > tonumber(ARGV[2]) then
  return {0, known}
end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
if ARGV[3] == '' then
  redis.call('ZREM', KEYS[1], ARGV[1])
else
  redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
end
return {1}
`;

/**
 * One page of a user's likes, newest first, and the total. KEYS: [1] the user's likes.
 * ARGV: [1] cursor member ('' for the first page), [2] cursor score, [3] how many.
 * After the cursor's like by rank while it is still there with the same score; by time if it is gone.
 */
export const USER_PAGE_SCRIPT = `
local n = tonumber(ARGV[3])
local total = redis.call('ZCARD', KEYS[1])
local start = 0
if ARGV[1] ~= '' then
  local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
  if score and tonumber(score) == tonumber(ARGV[2]) then
    start = redis.call('ZREVRANK', KEYS[1], ARGV[1]) + 1
  else
    return {total, redis.call('ZREVRANGEBYSCORE', KEYS[1], '(' .. ARGV[2], '-inf', 'WITHSCORES', 'LIMIT', 0, n)}
  end
end
return {total, redis.call('ZREVRANGE', KEYS[1], start, start + n - 1, 'WITHSCORES')}
`;
