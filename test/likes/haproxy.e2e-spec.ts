import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { registryDbPath, startRedis, type StoreProcess, TestApp, TestHaproxy, waitFor } from '../support';
import { initPostsDb, startLikes } from './likes-support';

const run = promisify(execFile);

// Real servers start in beforeAll; give them time on a slow machine.
jest.setTimeout(60_000);

describe('likes through HAProxy (3 instances, filled by the registry), called with httpie', () => {
  let haproxy: TestHaproxy;
  let registry: TestApp;
  let redis: StoreProcess;
  const likes: TestApp[] = [];

  /** `http <args>` as a user types it, against HAProxy's likes port; exits non-zero on a 4xx/5xx. */
  async function http(...args: string[]): Promise<Record<string, unknown>> {
    const withPort = args.map((a) => a.replace(':5100', `:${haproxy.likes}`));
    const { stdout } = await run('http', ['--ignore-stdin', '--check-status', '--body', ...withPort]);
    return JSON.parse(stdout) as Record<string, unknown>;
  }

  beforeAll(async () => {
    haproxy = await TestHaproxy.start();
    registry = await TestApp.start('registry', {
      REGISTRY_DB_PATH: registryDbPath('reg'),
      HAPROXY_RUNTIME_ADDR: haproxy.runtimeAddr,
      HEALTH_CHECK_INTERVAL_MS: '1000',
      HAPROXY_DRAIN_TIMEOUT_MS: '2000',
    });
    redis = await startRedis();
    const postsDb = initPostsDb(redis);
    for (let i = 0; i < 3; i++) likes.push(await startLikes(redis, postsDb, { REGISTRY_URL: registry.url }));
    await waitFor(
      'three likes servers UP in HAProxy',
      async () => [...(await haproxy.servers('likes')).values()].filter((s) => s === 'UP').length === 3,
      30_000,
    );
  });
  afterAll(async () => {
    await Promise.all(likes.map((app) => app.stop()));
    await registry?.stop();
    await redis?.stop();
    await haproxy?.stop();
  });

  it("runs the seed's calls as written", async () => {
    expect(await http('GET', 'localhost:5100/health-check')).toMatchObject({ status: 'ok' });
    // The seed's own example, typographic quotes and all.
    expect(await http('POST', 'localhost:5100/new/likes?username=”John”&posts_id=”1”')).toMatchObject({
      username: 'John',
      posts_id: 1,
      likes: 1,
    });
    expect(await http('POST', ':5100/new/likes', 'username==chris', 'posts_id==1')).toMatchObject({
      likes: 2,
    });
    expect(await http('GET', ':5100/likes', 'posts_id==1')).toMatchObject({ posts_id: 1, likes: 2 });
    expect(await http('GET', 'localhost:5100/user/likes?username=”John”')).toMatchObject({
      username: 'John',
      total: 1,
      likes: [expect.objectContaining({ posts_id: 1 })],
    });
    const top = (await http('GET', 'localhost:5100/top/likes')) as { posts: { posts_id: number }[] };
    expect(top.posts.map((p) => p.posts_id)).toEqual([1]);
  });

  it('runs the resource routes with JSON and form bodies', async () => {
    expect(await http('POST', ':5100/posts/42/likes', 'username=ana')).toMatchObject({
      posts_id: 42,
      likes: 1,
    });
    expect(await http('--form', 'POST', ':5100/new/likes', 'username=bilal', 'posts_id=42')).toMatchObject({
      likes: 2,
    });
    expect(await http('POST', ':5100/new/likes', 'username=chen', 'posts_id:=42')).toMatchObject({
      likes: 3,
    });
    expect(await http('GET', ':5100/posts/42/likes')).toMatchObject({ likes: 3 });
    expect(await http('GET', ':5100/users/ana/likes', 'limit==1')).toMatchObject({ total: 1 });
    expect(await http('GET', ':5100/likes/top', 'limit==1')).toMatchObject({
      posts: [expect.objectContaining({ posts_id: 42, likes: 3 })],
    });
    expect(await http('DELETE', ':5100/posts/42/likes/ana')).toMatchObject({ username: 'ana', likes: 2 });
    await expect(http('DELETE', ':5100/posts/42/likes/ana')).rejects.toThrow(/exit code 4|Command failed/);
  });
});
