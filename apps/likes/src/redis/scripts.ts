/**
 * The Lua scripts behind every write, defined once on the client (`defineCommand`): each runs
 * atomically in Redis, so the like, the post's count in the top set and the user's set never disagree.
 *
 * KEYS: [1] the post's likers (set of usernames), [2] top posts (zset: post -> count),
 *       [3] the user's likes (zset: post -> liked-at ms). ARGV: [1] post member, [2] username.
 */

/** Adds a like. Returns {1, count, likedAtMs} when added, {0, count, likedAtMs} when it already existed. */
export const LIKE_SCRIPT = `
if redis.call('SADD', KEYS[1], ARGV[2]) == 0 then
  return {0, redis.call('ZSCORE', KEYS[2], ARGV[1]) or '0', redis.call('ZSCORE', KEYS[3], ARGV[1]) or '0'}
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local count = redis.call('ZINCRBY', KEYS[2], 1, ARGV[1])
redis.call('ZADD', KEYS[3], now, ARGV[1])
return {1, count, tostring(now)}
`;

/** Removes a like. Returns {1, count, likedAtMs} when removed, {0} when there was none. */
export const UNLIKE_SCRIPT = `
if redis.call('SREM', KEYS[1], ARGV[2]) == 0 then
  return {0}
end
local count = redis.call('ZINCRBY', KEYS[2], -1, ARGV[1])
if tonumber(count) <= 0 then
  redis.call('ZREM', KEYS[2], ARGV[1])
  count = '0'
end
local at = redis.call('ZSCORE', KEYS[3], ARGV[1]) or '0'
redis.call('ZREM', KEYS[3], ARGV[1])
return {1, count, at}
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
