import { readInitRecord, writeInitRecord } from '@app/config';
import { Registry } from 'prom-client';
import { IndexesRepository } from '../likes/indexes.repository';
import { LegacyLikesRepository } from '../likes/legacy-likes.repository';
import { KEYS, LAYOUT } from '../likes/keys';
import { LikesRepairService } from '../likes/likes-repair.service';
import { RepairMetrics } from '../likes/repair-metrics';
import type { LikesConfig } from '../likes.config';
import { createRedis, type LikesRedis } from './redis.client';
import { LAYOUT_RECORD, localStoreStopped, startLocalStore } from './local-store';

/**
 * `main.js --init`: closes the open intents (what killed instances left half done: proportional to
 * the recent changes, never to the keyspace). Once per store, when it holds an older layout (no
 * `likes:{meta}:layout`), it first moves likes kept in the old keys and walks every key to rebuild
 * the indexes, then records the layout, so later starts never walk. A standalone Redis on loopback
 * that is not running is started as the Procfile starts it, for the duration.
 */
export async function initLikesStore(config: LikesConfig, log: (line: string) => void): Promise<void> {
  const local = !config.REDIS_CLUSTER_NODES && (await localStoreStopped(config.REDIS_URL));
  if (local && readInitRecord(config.REDIS_DATA_DIR, LAYOUT_RECORD) === LAYOUT) {
    // The start path (bin/start.sh): foreman starts this Redis next, and each instance closes the
    // open intents when it starts. Remove ${config.REDIS_DATA_DIR}/chirp-layout to check again.
    log(`Redis is not running; ${config.REDIS_DATA_DIR} holds the current key layout: nothing to do`);
    return;
  }
  const stop = local ? await startLocalStore(config.REDIS_URL, config.REDIS_DATA_DIR, log) : undefined;
  try {
    await withRedis(config, async (redis) => {
      if ((await redis.get(KEYS.layout)) !== LAYOUT) {
        const moved = await new LegacyLikesRepository(redis).migrate();
        if (moved > 0) log(`moved the likes of ${moved} posts from the old keys`);
        await repair(redis, config, log);
        await redis.set(KEYS.layout, LAYOUT);
      }
      const open = await repairer(redis, config).repairOpen();
      log(`open intents repaired: ${open.intents} on ${open.posts} marked posts`);
    });
    if (stop) writeInitRecord(config.REDIS_DATA_DIR, LAYOUT_RECORD, LAYOUT); // its files are the ones we just checked
  } finally {
    await stop?.();
  }
}

/** `main.js --repair`: one whole pass of the repair, then exit. */
export function repairLikes(config: LikesConfig, log: (line: string) => void): Promise<void> {
  return withRedis(config, (redis) => repair(redis, config, log));
}

const repairer = (redis: LikesRedis, config: LikesConfig) =>
  // A one-off command: its repair's metrics are never scraped.
  new LikesRepairService(redis, config, new IndexesRepository(redis), new RepairMetrics(new Registry()));

async function repair(redis: LikesRedis, config: LikesConfig, log: (line: string) => void): Promise<void> {
  const runs = await repairer(redis, config).repairAll();
  log(`top list and users' likes repaired (${runs} run${runs === 1 ? '' : 's'})`);
}

async function withRedis(config: LikesConfig, use: (redis: LikesRedis) => Promise<void>): Promise<void> {
  const redis = createRedis({ ...config, REDIS_COMMAND_TIMEOUT_MS: 10_000 });
  try {
    await new Promise<void>((resolve, reject) => {
      redis.once('ready', resolve);
      setTimeout(() => reject(new Error('redis did not become ready within 10 s')), 10_000).unref();
    });
    await use(redis);
  } finally {
    redis.disconnect();
  }
}
