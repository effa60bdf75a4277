import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { loadLikesConfig } from '../../apps/likes/src/likes.config';
import { LikesModule } from '../../apps/likes/src/likes.module';
import { seedPostsDatabase } from '../../apps/likes/src/posts/posts-database.module';
import { startInProcess, type StoreProcess, TestApp } from '../support';

/** A posts database seeded as `main.js --init` seeds it (init.e2e-spec runs that command), in a temporary directory. */
export function initPostsDb(posts = 300): string {
  const path = join(mkdtempSync(join(tmpdir(), 'chirp-posts-')), 'posts.db');
  seedPostsDatabase(path, posts);
  return path;
}

/** The environment of a likes instance on its own Redis and posts database, the registry unreachable. */
const likesEnv = (redis: StoreProcess, postsDb: string, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv => ({
  REDIS_URL: `redis://127.0.0.1:${redis.port}`,
  POSTS_DB_PATH: postsDb,
  REGISTRY_URL: 'http://127.0.0.1:9',
  LOG_LEVEL: 'error',
  ...env,
});

/** A likes instance (the built app) as a process of its own. */
export function startLikes(
  redis: StoreProcess,
  postsDb: string,
  env: NodeJS.ProcessEnv = {},
): Promise<TestApp> {
  return TestApp.start('likes', likesEnv(redis, postsDb, env));
}

/** The likes module in this process: no build, no port; requests go through `request(app, ...)`. */
export function startLikesInProcess(redis: StoreProcess, postsDb: string): Promise<NestFastifyApplication> {
  const config = loadLikesConfig(likesEnv(redis, postsDb, {}));
  return startInProcess(LikesModule.forRoot(config), config);
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
