import { startRedis, type StoreProcess, type TestApp, waitFor } from '../support';
import { call, initPostsDb, startLikes } from './likes-support';

// Real servers start in beforeAll; give them time on a slow machine.
jest.setTimeout(60_000);

describe('likes while Redis is down', () => {
  let redis: StoreProcess;
  let app: TestApp;

  beforeAll(async () => {
    redis = await startRedis();
    app = await startLikes(redis, initPostsDb(redis));
  });
  afterAll(async () => {
    await app?.stop();
    await redis?.stop();
  });

  it('answers 503 naming Redis, never crashes, and recovers by itself when Redis is back', async () => {
    expect((await call(app.url, 'POST', '/posts/1/likes', { username: 'before' })).status).toBe(201);

    // Redis goes away in the middle of a stream of writes.
    const statuses: number[] = [];
    let running = true;
    const load = (async () => {
      for (let i = 0; running; i++) {
        statuses.push((await call(app.url, 'POST', `/posts/2/likes`, { username: `load${i}` })).status);
      }
    })();
    await waitFor('some writes', () => statuses.length > 20);
    await redis.stop();
    await waitFor('a 503 under load', () => statuses.includes(503));
    running = false;
    await load;
    expect(statuses.filter((s) => s !== 201 && s !== 503)).toEqual([]);

    const started = Date.now();
    const down = await Promise.all([
      call(app.url, 'POST', '/new/likes?username=during&posts_id=3'),
      call(app.url, 'DELETE', '/posts/1/likes/before'),
      call(app.url, 'GET', '/likes?posts_id=1'),
      call(app.url, 'GET', '/users/before/likes'),
      call(app.url, 'GET', '/top/likes'),
    ]);
    for (const answer of down) {
      expect(answer).toEqual({
        status: 503,
        body: { error: 'Service Unavailable', message: 'redis unavailable' },
      });
    }
    expect(Date.now() - started).toBeLessThan(1_000);
    const health = await call(app.url, 'GET', '/health-check');
    expect(health).toEqual({
      status: 503,
      body: { error: 'Service Unavailable', message: 'redis unavailable' },
    });
    // Bad input is still a 400, not a 503: validation comes first.
    expect((await call(app.url, 'POST', '/new/likes?username=&posts_id=1')).status).toBe(400);
    expect(app.child.alive).toBe(true);

    await redis.start();
    await waitFor(
      'likes healthy again',
      async () => (await call(app.url, 'GET', '/health-check')).status === 200,
    );
    // The append-only file kept what was written before the outage.
    expect((await call(app.url, 'GET', '/posts/1/likes')).body).toMatchObject({ likes: 1 });
    expect((await call(app.url, 'POST', '/posts/1/likes', { username: 'after' })).status).toBe(201);
    expect((await call(app.url, 'GET', '/posts/1/likes')).body).toMatchObject({ likes: 2 });
    expect((await call(app.url, 'POST', '/posts/1/likes', { username: 'before' })).status).toBe(409);
    expect(app.child.alive).toBe(true);
  });
});
