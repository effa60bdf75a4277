import type Redis from 'ioredis';
import { startRedis, type StoreProcess, type TestApp, request } from '../support';
import {
  clearLikes,
  initPostsDb,
  QUIET_REPAIR,
  races,
  redisClient,
  repairRan,
  snapshot,
  startLikes,
} from './likes-support';

interface Record_ {
  username: string;
  posts_id: number;
  author: string;
  text: string;
  liked_at: string;
  likes: number;
}
interface Top {
  posts: { posts_id: number; likes: number; author: string; text: string }[];
}
interface Page {
  username: string;
  total: number;
  likes: { posts_id: number; liked_at: string; author: string }[];
  next_cursor: string | null;
}

// Real servers start in beforeAll; give them time on a slow machine.
jest.setTimeout(60_000);

describe('likes (one instance, real Redis and SQLite)', () => {
  let redis: StoreProcess;
  let app: TestApp;
  let client: Redis;
  let url: string;

  beforeAll(async () => {
    redis = await startRedis();
    app = await startLikes(redis, initPostsDb(redis), QUIET_REPAIR);
    await repairRan(app);
    client = redisClient(redis);
    url = app.url;
  });
  afterAll(async () => {
    client?.disconnect();
    await app?.stop();
    await redis?.stop();
  });
  beforeEach(() => clearLikes(client));

  it('likes once, refuses a second like with 409, and unlikes', async () => {
    const liked = await request<Record_>(url, '/new/likes?username=John&posts_id=1', { method: 'POST' });
    expect(liked.status).toBe(201);
    expect(liked.body).toMatchObject({ username: 'John', posts_id: 1, likes: 1 });
    expect(liked.body.author).toEqual(expect.any(String));
    expect(liked.body.text).toEqual(expect.any(String));
    expect(Date.parse(liked.body.liked_at)).toBeGreaterThan(Date.now() - 60_000);

    const again = await request(url, '/posts/1/likes', { method: 'POST', json: { username: 'John' } });
    expect(again).toEqual(
      expect.objectContaining({
        status: 409,
        body: { error: 'Conflict', message: 'John already likes post 1' },
      }),
    );
    expect((await request(url, '/likes?posts_id=1')).body).toMatchObject({ posts_id: 1, likes: 1 });

    const unliked = await request<Record_>(url, '/posts/1/likes/John', { method: 'DELETE' });
    expect(unliked.status).toBe(200);
    expect(unliked.body).toMatchObject({ username: 'John', posts_id: 1, likes: 0 });
    expect(unliked.body.liked_at).toBe(liked.body.liked_at);
    expect((await request(url, '/posts/1/likes/John', { method: 'DELETE' })).status).toBe(404);

    expect((await request(url, '/posts/1/likes')).body).toMatchObject({ likes: 0 });
    expect((await request<Page>(url, '/users/John/likes')).body).toMatchObject({ total: 0, likes: [] });
    expect((await request<Top>(url, '/likes/top')).body.posts).toEqual([]);
    expect(await client.zcard('likes:{post:1}:likers')).toBe(0);
    expect(await client.zcard('likes:{top}:posts')).toBe(0);
    expect(await client.zcard('likes:{user:John}:posts')).toBe(0);

    expect(
      (await request(url, '/posts/1/likes', { method: 'POST', json: { username: 'John' } })).status,
    ).toBe(201);
  });

  it('answers 404 for a post that does not exist, writing nothing', async () => {
    const before = await snapshot(client);
    for (const path of ['/new/likes?username=John&posts_id=301', '/posts/999999/likes']) {
      const answer = await request(url, path, { method: 'POST', json: { username: 'John' } });
      expect(answer).toEqual(
        expect.objectContaining({
          status: 404,
          body: { error: 'Not Found', message: expect.stringMatching(/^post \d+ not found$/) },
        }),
      );
    }
    expect((await request(url, '/likes?posts_id=301')).status).toBe(404);
    expect(await snapshot(client)).toEqual(before);
  });

  it('counts 500 concurrent likes of one post by distinct users exactly, in all three sets', () =>
    races.distinctUsers(url, client));

  it('lets one user like a post once under 50 concurrent attempts: one 201, 49 409s', () =>
    races.oneUser(url));

  it("pages through a user's likes newest first, each once, while likes come and go", async () => {
    for (let id = 1; id <= 57; id++) {
      expect(
        (await request(url, `/posts/${id}/likes`, { method: 'POST', json: { username: 'pager' } })).status,
      ).toBe(201);
    }
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `?limit=10${cursor ? `&cursor=${cursor}` : ''}`;
      const page: Page = (await request<Page>(url, `/users/pager/likes${query}`)).body;
      seen.push(...page.likes.map((l) => l.posts_id));
      cursor = page.next_cursor;
      if (pages++ === 1) {
        // A new like goes above the pages already read; it must not shift or repeat what follows.
        expect(
          (await request(url, '/posts/100/likes', { method: 'POST', json: { username: 'pager' } })).status,
        ).toBe(201);
      }
    } while (cursor);
    expect(pages).toBe(6);
    expect(seen).toEqual(Array.from({ length: 57 }, (_, i) => 57 - i));

    const seed = (await request<Page>(url, '/user/likes?username=pager&limit=100')).body;
    expect(seed.total).toBe(58);
    expect(seed.likes[0].posts_id).toBe(100);
    expect(seed.next_cursor).toBeNull();
    const times = seed.likes.map((l) => Date.parse(l.liked_at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it('orders top posts by count, ties by higher post id first, and honours limit', async () => {
    const likes: [number, number][] = [
      [5, 3],
      [7, 2],
      [3, 2],
      [12, 2],
      [9, 1],
      [1, 1],
    ];
    for (const [post, n] of likes) {
      for (let i = 0; i < n; i++)
        await request(url, `/posts/${post}/likes`, { method: 'POST', json: { username: `fan${i}` } });
    }
    const top = (await request<Top>(url, '/top/likes')).body.posts;
    expect(top.map((p) => [p.posts_id, p.likes])).toEqual([
      [5, 3],
      [12, 2],
      [7, 2],
      [3, 2],
      [9, 1],
      [1, 1],
    ]);
    expect(top.every((p) => p.author && p.text)).toBe(true);
    const two = (await request<Top>(url, '/likes/top?limit=2')).body.posts;
    expect(two.map((p) => p.posts_id)).toEqual([5, 12]);
    expect((await request(url, '/likes/top?limit=101')).status).toBe(400);
  });

  it('takes parameters from the query, a JSON body or a form body', async () => {
    expect((await request(url, '/new/likes?username=q&posts_id=2', { method: 'POST' })).status).toBe(201);
    expect(
      (await request(url, '/new/likes', { method: 'POST', json: { username: 'j', posts_id: 2 } })).status,
    ).toBe(201);
    expect(
      (await request(url, '/new/likes', { method: 'POST', json: { username: 'j2', posts_id: '2' } })).status,
    ).toBe(201);
    expect((await request(url, '/new/likes', { method: 'POST', form: 'username=f&posts_id=2' })).status).toBe(
      201,
    );
    expect((await request(url, '/posts/2/likes', { method: 'POST', form: 'username=f2' })).status).toBe(201);
    expect((await request(url, '/likes?posts_id=2')).body).toMatchObject({ likes: 5 });
  });
});
