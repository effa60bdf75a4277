import { z } from 'zod';
import { count, millis, optionalAddressList, parseEnv, serverEnv } from '@app/config';

/** The likes service's environment: where Redis and the posts database are. */
export const likesEnv = serverEnv.extend({
  PORT: serverEnv.shape.PORT.default(5101),
  REDIS_URL: z.string().default('redis://127.0.0.1:6390'),
  /** Seed nodes of a Redis Cluster (`host:port,...`); when set, likes use the cluster, not REDIS_URL. */
  REDIS_CLUSTER_NODES: optionalAddressList(),
  /** Where `--init` keeps Redis's files when it has to start Redis itself (as the Procfile does). */
  REDIS_DATA_DIR: z.string().default('var/redis'),
  /** A Redis command that has not answered after this long fails (503) instead of hanging. */
  REDIS_COMMAND_TIMEOUT_MS: millis(2_000),
  /** How often the repair closes the open intents (the index writes a killed instance left undone). */
  LIKES_REPAIR_INTERVAL_MS: millis(300_000),
  /** The most keys one run of the whole walk (`--repair`) looks at before it goes on in the next. */
  LIKES_REPAIR_BATCH: count(1_000),
  /** Drills only: a change waits this long between its script and its index writes (0: never). */
  LIKES_DRILL_HOLD_MS: z.coerce.number().int().min(0).max(60_000).default(0),
  POSTS_DB_PATH: z.string().default('var/posts.db'),
  /** How many sample posts `--init` makes (ids 1..N); raise it for benchmarks. */
  POSTS_SEED_COUNT: count(300),
});

/** The likes service's validated configuration. */
export type LikesConfig = z.output<typeof likesEnv>;

/** Injection token of {@link LikesConfig}. */
export const LIKES_CONFIG = Symbol('LIKES_CONFIG');

export function loadLikesConfig(env: NodeJS.ProcessEnv = process.env): LikesConfig {
  return parseEnv(likesEnv, env);
}
