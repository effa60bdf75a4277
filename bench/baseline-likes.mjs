// The benchmark's baseline: the likes hot path with nothing but node:http, ioredis and better-sqlite3,
// doing the same work as the Nest app for POST /new/likes and GET /top/likes: the same Lua scripts (read
// from apps/likes/src/redis/scripts.ts) and keys (the post marked, the like and its intent in the post's slot, then both indexes,
// then the intent cleared), the same validation (zod schemas with the same
// rules, typographic quotes taken off), the same posts cache (an LRU of found posts in front of
// SQLite), the same JSON replies. So app/baseline is what Nest itself costs, nothing else.
// Env: PORT, REDIS_URL, POSTS_DB_PATH. Not a product: no other routes, no registration.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import Redis from 'ioredis';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import { sendJson } from './send-json.mjs';

const scripts = readFileSync(new URL('../apps/likes/src/redis/scripts.ts', import.meta.url), 'utf8');
const lua = (name) => new RegExp(`export const ${name} = \`([^\`]*)\``).exec(scripts)[1];

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6390', {
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  commandTimeout: 2000,
  protocol: 2, // as the app
});
redis.defineCommand('like', { numberOfKeys: 3, lua: lua('LIKE_SCRIPT') });
redis.defineCommand('setIndex', { numberOfKeys: 2, lua: lua('SET_INDEX_SCRIPT') });
redis.defineCommand('mark', { numberOfKeys: 1, lua: lua('MARK_SCRIPT') });
redis.defineCommand('clearIntent', { numberOfKeys: 1, lua: lua('CLEAR_INTENT_SCRIPT') });
redis.on('error', () => {});
const db = new Database(process.env.POSTS_DB_PATH ?? 'var/posts.db', { readonly: true, fileMustExist: true });
const onePost = db.prepare('SELECT id AS posts_id, author, text FROM posts WHERE id = ?');
const manyPosts = db.prepare(
  'SELECT id AS posts_id, author, text FROM posts WHERE id IN (SELECT value FROM json_each(?))',
);

// The app's cache: found posts kept (they never change), missing ones not remembered.
const cache = new LRUCache({ max: 10_000 });
const findPost = (id) => {
  const cached = cache.get(id);
  if (cached) return cached;
  const post = onePost.get(id);
  if (post) cache.set(id, post);
  return post;
};
const findPosts = (ids) => {
  const found = new Map();
  const missing = ids.filter((id) => {
    const cached = cache.get(id);
    if (cached) found.set(id, cached);
    return !cached;
  });
  if (missing.length) {
    for (const post of manyPosts.all(JSON.stringify(missing))) {
      cache.set(post.posts_id, post);
      found.set(post.posts_id, post);
    }
  }
  return found;
};

// The app's rules (apps/likes/src/likes/dto/likes.schema.ts), in the same library.
const unquote = (v) => (typeof v === 'string' ? v.replace(/^[\s"'“”‘’]+|[\s"'“”‘’]+$/g, '') : v);
const likeInput = z.object({
  username: z.preprocess(unquote, z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$/)),
  posts_id: z.preprocess(
    unquote,
    z
      .string()
      .regex(/^[1-9][0-9]{0,11}$/)
      .transform(Number),
  ),
});
const topInput = z.object({
  limit: z.preprocess(
    unquote,
    z
      .string()
      .regex(/^[0-9]{1,3}$/)
      .transform(Number)
      .pipe(z.number().min(1).max(100))
      .optional()
      .default(10),
  ),
});
const member = (id) => String(id).padStart(12, '0');

const fail = (res, status, error, message) => sendJson(res, status, { error, message });
const invalid = (res, result) =>
  fail(
    res,
    400,
    'Bad Request',
    result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
  );

async function like(res, query) {
  const input = likeInput.safeParse(Object.fromEntries(query));
  if (!input.success) return invalid(res, input);
  const { username, posts_id: id } = input.data;
  const post = findPost(id);
  if (!post) return fail(res, 404, 'Not Found', `post ${id} not found`);
  // The post marked, then the like with its intent, down one connection (as the app on one Redis).
  const [, [added, likes, likedAt, version]] = await Promise.all([
    redis.mark(`likes:{open:${id % 16}}:posts`, member(id)),
    redis.like(
      `likes:{post:${id}}:likers`,
      `likes:{post:${id}}:version`,
      `likes:{post:${id}}:intents`,
      username,
    ),
  ]);
  await Promise.all([
    redis.setIndex('likes:{top}:posts', 'likes:{top}:versions', member(id), version, String(likes)),
    redis.setIndex(
      `likes:{user:${username}}:posts`,
      `likes:{user:${username}}:versions`,
      member(id),
      version,
      likedAt,
    ),
  ]);
  void redis.clearIntent(`likes:{post:${id}}:intents`, username, version).catch(() => undefined);
  if (Number(added) !== 1) return fail(res, 409, 'Conflict', `${username} already likes post ${id}`);
  sendJson(res, 201, {
    username,
    ...post,
    liked_at: new Date(Number(likedAt)).toISOString(),
    likes: Number(likes),
  });
}

async function top(res, query) {
  const input = topInput.safeParse(Object.fromEntries(query));
  if (!input.success) return invalid(res, input);
  const { limit } = input.data;
  const flat = await redis.zrevrange('likes:{top}:posts', 0, limit - 1, 'WITHSCORES');
  const ids = [];
  for (let i = 0; i < flat.length; i += 2) ids.push(Number(flat[i]));
  const posts = findPosts(ids);
  const result = [];
  for (let i = 0; i < flat.length; i += 2) {
    const post = posts.get(Number(flat[i]));
    if (post) result.push({ ...post, likes: Number(flat[i + 1]) });
  }
  sendJson(res, 200, { posts: result });
}

createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  const route =
    req.method === 'POST' && url.pathname === '/new/likes'
      ? like
      : req.method === 'GET' && url.pathname === '/top/likes'
        ? top
        : undefined;
  req.resume();
  if (!route) return fail(res, 404, 'Not Found', `Cannot ${req.method} ${url.pathname}`);
  route(res, url.searchParams).catch(() => fail(res, 503, 'Service Unavailable', 'redis unavailable'));
}).listen(Number(process.env.PORT ?? 5199), '127.0.0.1');
process.on('SIGINT', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
