import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import Redis, { Cluster } from 'ioredis';
import { loadLikesConfig } from '../../apps/likes/src/likes.config';
import { LikesModule } from '../../apps/likes/src/likes.module';
import { RedisCluster, request, startInProcess, type StoreProcess, TestApp, waitFor } from '../support';

/** A likes instance's repair on its timer only after an hour (the config's longest), for suites that clear the store. */
export const QUIET_REPAIR = { LIKES_REPAIR_INTERVAL_MS: '3600000' };

/** The environment that points likes at `store`: one Redis (`REDIS_URL`) or a cluster (`REDIS_CLUSTER_NODES`). */
export function likesStoreEnv(store: StoreProcess | RedisCluster): NodeJS.ProcessEnv {
  return store instanceof RedisCluster
    ? { REDIS_CLUSTER_NODES: store.seeds }
    : { REDIS_URL: `redis://127.0.0.1:${store.port}` };
}

/**
 * A posts database made the way bin/init.sh makes it (`main.js --init`, which also readies `store`),
 * in a temporary directory.
 */
export function initPostsDb(store: StoreProcess | RedisCluster, posts = 300): string {
  const path = join(mkdtempSync(join(tmpdir(), 'chirp-posts-')), 'posts.db');
  likesCommand('--init', { ...likesStoreEnv(store), POSTS_DB_PATH: path, POSTS_SEED_COUNT: String(posts) });
  return path;
}

/** The environment of a likes instance on `store` and its own posts database, the registry unreachable. */
const likesEnv = (store: StoreProcess | RedisCluster, postsDb: string, env: NodeJS.ProcessEnv = {}) => ({
  ...likesStoreEnv(store),
  POSTS_DB_PATH: postsDb,
  REGISTRY_URL: 'http://127.0.0.1:9',
  LOG_LEVEL: 'error',
  ...env,
});

/** A likes instance (the built app) on its own Redis (or cluster) and posts database, as a process of its own. */
export function startLikes(
  store: StoreProcess | RedisCluster,
  postsDb: string,
  env: NodeJS.ProcessEnv = {},
): Promise<TestApp> {
  return TestApp.start('likes', likesEnv(store, postsDb, env));
}

/**
 * Waits until `app` has finished its start's repair of the open intents (a run done, by its /metrics).
 * Until then that repair may write an index entry it read before a test cleared the store, so suites
 * that clear between tests wait for it once their instance is up (and start it with
 * {@link QUIET_REPAIR}, so that no later run comes during their tests).
 */
export async function repairRan(app: TestApp): Promise<void> {
  await waitFor(`${app.url} to finish its repair of the open intents`, async () => {
    const metrics = (await request<string>(app.url, '/metrics')).body;
    return Number(/^chirp_likes_repair_runs_total\{result="done"\} (\d+)$/m.exec(metrics)?.[1]) >= 1;
  });
}

/** The likes module in this process: no build, no port; requests go through `request(app, ...)`. */
export function startLikesInProcess(
  store: StoreProcess | RedisCluster,
  postsDb: string,
): Promise<NestFastifyApplication> {
  const config = loadLikesConfig(likesEnv(store, postsDb));
  return startInProcess(LikesModule.forRoot(config), config);
}

/** Runs `dist/apps/likes/main.js <command>` (`--init`, `--repair`) with `env`; returns its output. */
export function likesCommand(command: string, env: NodeJS.ProcessEnv): string {
  return execFileSync(process.execPath, ['dist/apps/likes/main.js', command], {
    env: { ...process.env, LOG_LEVEL: 'error', ...env },
    encoding: 'utf8',
  });
}

/** A Cluster client for looking at what the app wrote, once it knows the cluster's slots. */
export async function clusterClient(cluster: RedisCluster): Promise<Cluster> {
  const client = new Cluster(
    cluster.seeds.split(',').map((seed) => ({ host: '127.0.0.1', port: Number(seed.split(':')[1]) })),
    {
      redisOptions: { maxRetriesPerRequest: 3 },
    },
  );
  await once(client, 'ready');
  return client;
}

/** A plain Redis client for looking at what the app wrote. */
export function redisClient(redis: StoreProcess): Redis {
  return new Redis(redis.port, '127.0.0.1', { maxRetriesPerRequest: 1 });
}

/**
 * Deletes every likes key but the posts' version counters, between tests. Versions only grow in
 * production; resetting them would let an index write still in flight from the previous test (a
 * retry, the boot repair) win over newer ones, which no deployment can see.
 */
export async function clearLikes(client: Redis | Cluster): Promise<void> {
  const servers = client instanceof Cluster ? client.nodes('master') : [client];
  for (const server of servers) {
    for await (const keys of server.scanStream({ count: 1000 })) {
      const doomed = (keys as string[]).filter((key) => !key.endsWith(':version'));
      // One key per DEL: on a cluster node, keys of different slots may not share a command.
      await Promise.all(doomed.map((key) => server.del(key)));
    }
  }
}

/**
 * Everything likes keeps in Redis, to show that a request changed nothing. The marked posts are left
 * out: a like refused as a repeat (409) still marked its post before its script found the like there,
 * bookkeeping that a repair clears.
 */
export async function snapshot(client: Redis): Promise<Record<string, unknown>> {
  const state: Record<string, unknown> = {};
  const keys = (await client.keys('*')).filter((key) => !key.startsWith('likes:{open:'));
  for (const key of keys.sort()) {
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

const memberOf = (postId: number) => String(postId).padStart(12, '0');

/**
 * The top list and the users' likes as the likers sets say they must be, for `postIds` liked by
 * `usernames`: what the indexes are checked against.
 */
export async function indexesFromLikers(
  client: Redis | Cluster,
  postIds: number[],
  usernames: string[],
): Promise<{ top: Record<string, string>; users: Record<string, Record<string, string>> }> {
  const top: Record<string, string> = {};
  const users: Record<string, Record<string, string>> = Object.fromEntries(usernames.map((u) => [u, {}]));
  for (const postId of postIds) {
    const likers = await client.zrange(`likes:{post:${postId}}:likers`, '0', '-1', 'WITHSCORES');
    if (likers.length > 0) top[memberOf(postId)] = String(likers.length / 2);
    for (let i = 0; i < likers.length; i += 2) {
      if (users[likers[i]]) users[likers[i]][memberOf(postId)] = likers[i + 1];
    }
  }
  return { top, users };
}

/**
 * The top list's entries for `postIds` and the users' likes as they are, in the form of
 * {@link indexesFromLikers}. Other posts are left out: the tests share a store.
 */
export async function indexes(
  client: Redis | Cluster,
  postIds: number[],
  usernames: string[],
): Promise<{ top: Record<string, string>; users: Record<string, Record<string, string>> }> {
  const asRecord = (flat: string[]) =>
    Object.fromEntries(flat.flatMap((v, i) => (i % 2 === 0 ? [[v, flat[i + 1]]] : [])));
  const members = new Set(postIds.map(memberOf));
  const top = Object.fromEntries(
    Object.entries(asRecord(await client.zrange('likes:{top}:posts', '0', '-1', 'WITHSCORES'))).filter(
      ([m]) => members.has(m),
    ),
  );
  const users: Record<string, Record<string, string>> = {};
  for (const u of usernames) {
    users[u] = asRecord(await client.zrange(`likes:{user:${u}}:posts`, '0', '-1', 'WITHSCORES'));
  }
  return { top, users };
}

/**
 * The races of a likes store: 500 users liking one post at once give exactly 500 (each answer a
 * distinct count, the indexes agreeing), and one user trying 50 times at once gets one 201 and 49 409s.
 */
export const races = {
  async distinctUsers(url: string, client: Redis | Cluster, postId = 7): Promise<void> {
    const users = Array.from({ length: 500 }, (_, i) => `user${i}`);
    const answers = await Promise.all(
      users.map((u) => request(url, `/new/likes?username=${u}&posts_id=${postId}`, { method: 'POST' })),
    );
    expect(answers.map((a) => a.status)).toEqual(users.map(() => 201));
    const counts = answers.map((a) => a.body.likes as number).sort((a, b) => a - b);
    expect(counts).toEqual(users.map((_, i) => i + 1));
    expect((await request(url, `/posts/${postId}/likes`)).body).toMatchObject({
      posts_id: postId,
      likes: 500,
    });
    expect((await request<{ posts: unknown[] }>(url, '/top/likes')).body.posts[0]).toMatchObject({
      posts_id: postId,
      likes: 500,
    });
    expect(await indexes(client, [postId], users)).toEqual(await indexesFromLikers(client, [postId], users));
  },

  async oneUser(url: string, postId = 8): Promise<void> {
    const answers = await Promise.all(
      Array.from({ length: 50 }, () =>
        request(url, `/posts/${postId}/likes`, { method: 'POST', json: { username: 'John' } }),
      ),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    expect((await request(url, `/posts/${postId}/likes`)).body).toMatchObject({ likes: 1 });
    expect((await request<{ total: number }>(url, '/users/John/likes')).body.total).toBe(1);
  },
};
