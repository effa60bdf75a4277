// The benchmark's baseline: the likes hot path with nothing but node:http, ioredis and better-sqlite3.
// Same Lua script (read from apps/likes/src/redis/scripts.ts), same keys, same validation rules,
// same SQLite lookup and the same JSON replies as the Nest app, for POST /new/likes and GET /top/likes.
// Env: PORT, REDIS_URL, POSTS_DB_PATH. Not a product: no other routes, no registration.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import Redis from 'ioredis';
import { sendJson } from './send-json.mjs';

const scripts = readFileSync(new URL('../apps/likes/src/redis/scripts.ts', import.meta.url), 'utf8');
const lua = (name) => new RegExp(`export const ${name} = \`([^\`]*)\``).exec(scripts)[1];

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6390', {
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  commandTimeout: 2000,
});
redis.defineCommand('like', { numberOfKeys: 3, lua: lua('LIKE_SCRIPT') });
redis.on('error', () => {});
const db = new Database(process.env.POSTS_DB_PATH ?? 'var/posts.db', { readonly: true, fileMustExist: true });
const onePost = db.prepare('SELECT id AS posts_id, author, text FROM posts WHERE id = ?');
const manyPosts = db.prepare(
  'SELECT id AS posts_id, author, text FROM posts WHERE id IN (SELECT value FROM json_each(?))',
);

const USERNAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$/;
const POST_ID = /^[1-9][0-9]{0,11}$/;
const member = (id) => String(id).padStart(12, '0');

const fail = (res, status, error, message) => sendJson(res, status, { error, message });

async function like(res, query) {
  const username = query.get('username');
  const postId = query.get('posts_id');
  if (!username || !USERNAME.test(username)) return fail(res, 400, 'Bad Request', 'username: invalid');
  if (!postId || !POST_ID.test(postId)) return fail(res, 400, 'Bad Request', 'posts_id: invalid');
  const id = Number(postId);
  const post = onePost.get(id);
  if (!post) return fail(res, 404, 'Not Found', `post ${id} not found`);
  const [added, likes, likedAt] = await redis.like(
    `likes:post:${id}:users`,
    'likes:top',
    `likes:user:${username}:posts`,
    member(id),
    username,
  );
  if (Number(added) !== 1) return fail(res, 409, 'Conflict', `${username} already likes post ${id}`);
  sendJson(res, 201, {
    username,
    ...post,
    liked_at: new Date(Number(likedAt)).toISOString(),
    likes: Number(likes),
  });
}

async function top(res, query) {
  const raw = query.get('limit') ?? '10';
  const limit = /^[0-9]{1,3}$/.test(raw) ? Number(raw) : 0;
  if (limit < 1 || limit > 100)
    return fail(res, 400, 'Bad Request', 'limit: must be an integer from 1 to 100');
  const flat = await redis.zrevrange('likes:top', 0, limit - 1, 'WITHSCORES');
  const ids = [];
  for (let i = 0; i < flat.length; i += 2) ids.push(Number(flat[i]));
  const posts = new Map(manyPosts.all(JSON.stringify(ids)).map((p) => [p.posts_id, p]));
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
