import { Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { LIKES_CONFIG, type LikesConfig } from '../likes.config';
import { LIKE_SCRIPT, UNLIKE_SCRIPT, USER_PAGE_SCRIPT } from './scripts';

/** The Lua commands defined on the client (see scripts.ts for their keys and replies). */
export interface LikesCommands {
  like(likers: string, top: string, user: string, post: string, username: string): Promise<string[]>;
  unlike(likers: string, top: string, user: string, post: string, username: string): Promise<string[]>;
  userPage(user: string, member: string, score: string, n: number): Promise<[number, string[]]>;
}

/** The Redis client of the likes service, with its Lua commands. */
export type LikesRedis = Redis & LikesCommands;

/** Injection token of {@link LikesRedis}. */
export const REDIS = Symbol('REDIS');

/**
 * Fails fast while Redis is away (no offline queue, one retry) so requests answer 503 at once, and
 * reconnects by itself; the scripts are sent once and then run by SHA (ioredis reloads them on NOSCRIPT).
 */
export function createRedis(config: Pick<LikesConfig, 'REDIS_URL' | 'REDIS_COMMAND_TIMEOUT_MS'>): LikesRedis {
  const logger = new Logger('Redis');
  const redis = new Redis(config.REDIS_URL, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: config.REDIS_COMMAND_TIMEOUT_MS,
    connectTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(attempt * 100, 1_000),
    // RESP2: Chirp uses nothing RESP3 adds, and ioredis 6's RESP3 decoder took about 8% of an
    // instance's CPU on `GET /top/likes` (profiled against ioredis 5).
    protocol: 2,
  });
  redis.defineCommand('like', { numberOfKeys: 3, lua: LIKE_SCRIPT });
  redis.defineCommand('unlike', { numberOfKeys: 3, lua: UNLIKE_SCRIPT });
  redis.defineCommand('userPage', { numberOfKeys: 1, lua: USER_PAGE_SCRIPT });
  // Log the transitions, not every failed reconnect attempt.
  let up = true;
  redis.on('error', (error: Error) => {
    if (up) logger.warn(`redis unavailable at ${config.REDIS_URL}: ${error.message}`);
    up = false;
  });
  redis.on('ready', () => {
    if (!up) logger.log(`redis available again at ${config.REDIS_URL}`);
    up = true;
  });
  return redis as LikesRedis;
}

/** The one Redis connection of an instance, closed after the HTTP server has stopped. */
@Global()
@Module({
  providers: [{ provide: REDIS, inject: [LIKES_CONFIG], useFactory: createRedis }],
  exports: [REDIS],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: LikesRedis) {}

  async onApplicationShutdown(): Promise<void> {
    try {
      await this.redis.quit();
    } catch {
      this.redis.disconnect();
    }
  }
}
