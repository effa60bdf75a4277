import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type Redis from 'ioredis';
import { freePort, listening, startRedis, type StoreProcess, type TestApp, request } from '../support';
import { indexes, indexesFromLikers, redisClient, snapshot, startLikes } from './likes-support';

// Each --init is a node process start plus a seed; slow machines need more than jest's 5 s.
jest.setTimeout(30_000);

describe('likes --init (bin/init.sh)', () => {
  let redis: StoreProcess;
  let client: Redis;
  const path = join(mkdtempSync(join(tmpdir(), 'chirp-init-')), 'var', 'posts.db');
  const init = (env: NodeJS.ProcessEnv = {}) =>
    execFileSync(process.execPath, ['dist/apps/likes/main.js', '--init'], {
      env: { ...process.env, POSTS_DB_PATH: path, REDIS_URL: `redis://127.0.0.1:${redis.port}`, ...env },
      encoding: 'utf8',
    });
  const read = <T>(sql: string): T => {
    const db = new Database(path, { readonly: true });
    try {
      return db.prepare(sql).get() as T;
    } finally {
      db.close();
    }
  };

  beforeAll(async () => {
    redis = await startRedis();
    client = redisClient(redis);
  });
  afterAll(async () => {
    client?.disconnect();
    await redis?.stop();
  });

  it('creates and seeds posts.db deterministically, idempotently, and grows it on request', () => {
    expect(init()).toContain('300 posts ready');
    const first = read<{ id: number; author: string; text: string }>('SELECT * FROM posts WHERE id = 1');
    expect(init()).toContain('300 posts ready');
    expect(read('SELECT * FROM posts WHERE id = 1')).toEqual(first);
    expect(first).toMatchObject({ author: 'emeka', text: 'Honestly, tried a flaky test #chirp' });
    expect(read<{ n: number }>('SELECT count(*) AS n FROM users').n).toBe(12);
    expect(read<{ n: number }>("SELECT count(*) AS n FROM users WHERE username = 'John'").n).toBe(1);

    expect(init({ POSTS_SEED_COUNT: '5000' })).toContain('5000 posts ready');
    expect(read('SELECT * FROM posts WHERE id = 1')).toEqual(first);
    expect(read<{ n: number }>('SELECT count(*) AS n FROM posts').n).toBe(5000);
  });

  it('moves likes kept in the old keys into the cluster layout, once: a second --init changes nothing', async () => {
    await client.flushall();
    // What the single Lua script of before wrote: likers sets, one top list, the users' sets with times.
    const old: [number, string, number][] = [
      [1, 'ana', 1_700_000_000_001],
      [1, 'bo', 1_700_000_000_002],
      [7, 'ana', 1_700_000_000_003],
    ];
    for (const [post, user, at] of old) {
      const member = String(post).padStart(12, '0');
      await client.sadd(`likes:post:${post}:users`, user);
      await client.zincrby('likes:top', 1, member);
      await client.zadd(`likes:user:${user}:posts`, at, member);
    }

    expect(init()).toContain('moved the likes of 2 posts from the old keys');
    const migrated = await snapshot(client);
    expect(Object.keys(migrated).filter((k) => /^likes:(post:|top$|user:)/.test(k))).toEqual([]);
    expect(await client.zrange('likes:{post:1}:likers', '0', '-1', 'WITHSCORES')).toEqual([
      'ana',
      '1700000000001',
      'bo',
      '1700000000002',
    ]);
    const users = ['ana', 'bo'];
    expect(await indexes(client, [1, 7], users)).toEqual(await indexesFromLikers(client, [1, 7], users));

    expect(init()).not.toContain('moved');
    expect(await snapshot(client)).toEqual(migrated);

    let app: TestApp | undefined;
    try {
      app = await startLikes(redis, path);
      expect((await request(app.url, '/users/ana/likes')).body).toMatchObject({
        total: 2,
        likes: [
          { posts_id: 7, liked_at: new Date(1_700_000_000_003).toISOString() },
          { posts_id: 1, liked_at: new Date(1_700_000_000_001).toISOString() },
        ],
      });
      expect(
        (await request(app.url, '/posts/1/likes', { method: 'POST', json: { username: 'bo' } })).status,
      ).toBe(409);
      expect((await request(app.url, '/posts/1/likes/bo', { method: 'DELETE' })).body).toMatchObject({
        likes: 1,
      });
    } finally {
      await app?.stop();
    }
  });

  it('starts Redis for the occasion (as the Procfile does) when none runs at REDIS_URL, and stops it', async () => {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'chirp-init-redis-'));
    const output = init({ REDIS_URL: `redis://127.0.0.1:${port}`, REDIS_DATA_DIR: dir });
    expect(output).toContain(`Redis is not running on :${port}; starting it for --init`);
    expect(output).toContain('repaired');
    expect(await listening(port)).toBe(false);
    // The next start leaves it stopped: its files are in the current layout, recorded beside them.
    const again = init({ REDIS_URL: `redis://127.0.0.1:${port}`, REDIS_DATA_DIR: dir });
    expect(again).toContain(`${dir} holds the current key layout: nothing to do`);
    expect(again).not.toContain('starting it');
    // Without the record, it looks again.
    rmSync(join(dir, 'chirp-layout'));
    expect(init({ REDIS_URL: `redis://127.0.0.1:${port}`, REDIS_DATA_DIR: dir })).toContain(
      'starting it for --init',
    );
  });
});
