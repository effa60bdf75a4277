import { Logger } from '@nestjs/common';
import Redis, { Cluster, type RedisOptions } from 'ioredis';
import type { LikesConfig } from '../likes.config';
import {
  CLEAR_INTENT_SCRIPT,
  LIKE_SCRIPT,
  MARK_SCRIPT,
  POST_STATE_SCRIPT,
  SET_INDEX_SCRIPT,
  UNLIKE_SCRIPT,
  UNMARK_SCRIPT,
  USER_PAGE_SCRIPT,
} from './scripts';

/** The Lua commands defined on the client (see scripts.ts for their keys and replies). */
export interface LikesCommands {
  like(
    likers: string,
    version: string,
    intents: string,
    username: string,
  ): Promise<[number, number, string, string]>;
  unlike(
    likers: string,
    version: string,
    intents: string,
    username: string,
  ): Promise<[number, number?, string?, string?]>;
  clearIntent(intents: string, username: string, version: string): Promise<number>;
  mark(openPosts: string, member: string): Promise<number>;
  unmark(openPosts: string, member: string, graceMs: number): Promise<number>;
  postState(
    likers: string,
    version: string,
    username: string,
    first: number,
    n: number,
    atLeast: string,
  ): Promise<[string, number, string, string[]]>;
  setIndex(
    index: string,
    versions: string,
    member: string,
    version: string,
    score: string,
  ): Promise<[number, string?]>;
  userPage(user: string, member: string, score: string, n: number): Promise<[number, string[]]>;
}

/** The likes service's client, on one Redis or on a Redis Cluster, with its Lua commands. */
export type LikesRedis = (Redis | Cluster) & LikesCommands;

/** The Redis servers that hold keys: the masters of a cluster, or the one Redis. */
export function masters(redis: LikesRedis): Redis[] {
  return redis instanceof Cluster ? redis.nodes('master') : [redis];
}

/**
 * Fails fast while Redis is away (no offline queue, one retry) so requests answer 503 at once, and
 * reconnects by itself; the scripts are sent once and then run by SHA (ioredis reloads them on
 * NOSCRIPT). With `REDIS_CLUSTER_NODES` set it is ioredis's Cluster client, which follows the
 * cluster's slot map (MOVED, failovers) by itself.
 */
export function createRedis(
  config: Pick<LikesConfig, 'REDIS_URL' | 'REDIS_CLUSTER_NODES' | 'REDIS_COMMAND_TIMEOUT_MS'>,
): LikesRedis {
  const options: RedisOptions = {
    maxRetriesPerRequest: 1,
    commandTimeout: config.REDIS_COMMAND_TIMEOUT_MS,
    connectTimeout: 2_000,
    // RESP2: Chirp uses nothing RESP3 adds, and ioredis 6's RESP3 decoder took about 8% of an
    // instance's CPU on `GET /top/likes` (profiled against ioredis 5).
    protocol: 2,
  };
  const nodes = config.REDIS_CLUSTER_NODES;
  const redis = nodes
    ? new Cluster(nodes, {
        redisOptions: options,
        enableOfflineQueue: false,
        clusterRetryStrategy: (attempt) => Math.min(attempt * 100, 1_000),
        // Commands to a master that just died wait for the promoted replica a little, then fail.
        retryDelayOnFailover: 200,
        retryDelayOnClusterDown: 200,
      })
    : new Redis(config.REDIS_URL, {
        ...options,
        enableOfflineQueue: false,
        retryStrategy: (attempt) => Math.min(attempt * 100, 1_000),
      });
  redis.defineCommand('like', { numberOfKeys: 3, lua: LIKE_SCRIPT });
  redis.defineCommand('unlike', { numberOfKeys: 3, lua: UNLIKE_SCRIPT });
  redis.defineCommand('clearIntent', { numberOfKeys: 1, lua: CLEAR_INTENT_SCRIPT });
  redis.defineCommand('mark', { numberOfKeys: 1, lua: MARK_SCRIPT });
  redis.defineCommand('unmark', { numberOfKeys: 1, lua: UNMARK_SCRIPT });
  redis.defineCommand('postState', { numberOfKeys: 2, lua: POST_STATE_SCRIPT });
  redis.defineCommand('setIndex', { numberOfKeys: 2, lua: SET_INDEX_SCRIPT });
  redis.defineCommand('userPage', { numberOfKeys: 1, lua: USER_PAGE_SCRIPT });
  logTransitions(
    redis,
    nodes ? `cluster ${nodes.map((n) => `${n.host}:${n.port}`).join(',')}` : config.REDIS_URL,
  );
  return redis as LikesRedis;
}

// Log the transitions, not every failed reconnect attempt.
function logTransitions(redis: Redis | Cluster, where: string): void {
  const logger = new Logger('Redis');
  let up = true;
  redis.on('error', (error: Error) => {
    if (up) logger.warn(`redis unavailable at ${where}: ${error.message}`);
    up = false;
  });
  redis.on('ready', () => {
    if (!up) logger.log(`redis available again at ${where}`);
    up = true;
  });
}
