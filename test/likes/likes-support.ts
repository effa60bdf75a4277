import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { type StoreProcess, TestApp } from '../support';

/** A posts database made the way bin/init.sh makes it (`main.js --init`), in a temporary directory. */
export function initPostsDb(posts = 300): string {
  const path = join(mkdtempSync(join(tmpdir(), 'chirp-posts-')), 'posts.db');
  const env = { ...process.env, POSTS_DB_PATH: path, POSTS_SEED_COUNT: String(posts) };
  execFileSync(process.execPath, ['dist/apps/likes/main.js', '--init'], { env, stdio: 'pipe' });
  return path;
}

/** A likes instance on its own Redis and posts database; the registry is unreachable unless given. */
export function startLikes(
  redis: StoreProcess,
  postsDb: string,
  env: NodeJS.ProcessEnv = {},
): Promise<TestApp> {
  return TestApp.start('likes', {
    REDIS_URL: `redis://127.0.0.1:${redis.port}`,
    POSTS_DB_PATH: postsDb,
    REGISTRY_URL: 'http://127.0.0.1:9',
    LOG_LEVEL: 'error',
    ...env,
  });
}

/** A plain Redis client for looking at what the app wrote. */
export function redisClient(redis: StoreProcess): Redis {
  return new Redis(redis.port, '127.0.0.1', { maxRetriesPerRequest: 1 });
}

/** Everything likes keeps in Redis, to show that a request changed nothing. */
export async function snapshot(client: Redis): Promise<Record<string, unknown>> {
  const state: Record<string, unknown> = {};
  for (const key of (await client.keys('*')).sort()) {
    const type = await client.type(key);
    state[key] =
      type === 'zset'
        ? await client.zrange(key, 0, '-1', 'WITHSCORES')
        : type === 'set'
          ? (await client.smembers(key)).sort()
          : type;
  }
  return state;
}
