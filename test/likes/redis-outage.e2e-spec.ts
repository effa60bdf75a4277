import { request, startRedis, type StoreProcess, type TestApp, waitFor } from '../support';
import { initPostsDb, startLikes } from './likes-support';

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
    expect(
      (await request(app.url, '/posts/1/likes', { method: 'POST', json: { username: 'before' } })).status,
    ).toBe(201);

    // Redis goes away in the middle of a stream of writes.
    const statuses: number[] = [];
    let running = true;
    const load = (async () => {
      for (let i = 0; running; i++) {
        statuses.push(
          (await request(app.url, `/posts/2/likes`, { method: 'POST', json: { username: `load${i}` } }))
            .status,
        );
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
      request(app.url, '/new/likes?username=during&posts_id=3', { method: 'POST' }),
      request(app.url, '/posts/1/likes/before', { method: 'DELETE' }),
      request(app.url, '/likes?posts_id=1'),
      request(app.url, '/users/before/likes'),
      request(app.url, '/top/likes'),
    ]);
    for (const answer of down) {
      expect(answer).toEqual(
        expect.objectContaining({
          status: 503,
          body: { error: 'Service Unavailable', message: 'redis unavailable' },
        }),
      );
    }
    expect(Date.now() - started).toBeLessThan(1_000);
    const health = await request(app.url, '/health-check');
    expect(health).toEqual(
      expect.objectContaining({
        status: 503,
        body: { error: 'Service Unavailable', message: 'redis unavailable' },
      }),
    );
    // Bad input is still a 400, not a 503: validation comes first.
    expect((await request(app.url, '/new/likes?username=&posts_id=1', { method: 'POST' })).status).toBe(400);
    expect(app.child.alive).toBe(true);
    // Each of those failures is counted, by store: the load's 503s, the five above and the health check.
    const metrics = (await request<string>(app.url, '/metrics')).body;
    const storeErrors = Number(/^chirp_store_errors_total\{store="redis"\} (\d+)$/m.exec(metrics)?.[1]);
    expect(storeErrors).toBeGreaterThanOrEqual(statuses.filter((s) => s === 503).length + down.length + 1);

    await redis.start();
    await waitFor(
      'likes healthy again',
      async () => (await request(app.url, '/health-check')).status === 200,
    );
    // The append-only file kept what was written before the outage.
    expect((await request(app.url, '/posts/1/likes')).body).toMatchObject({ likes: 1 });
    expect(
      (await request(app.url, '/posts/1/likes', { method: 'POST', json: { username: 'after' } })).status,
    ).toBe(201);
    expect((await request(app.url, '/posts/1/likes')).body).toMatchObject({ likes: 2 });
    expect(
      (await request(app.url, '/posts/1/likes', { method: 'POST', json: { username: 'before' } })).status,
    ).toBe(409);
    expect(app.child.alive).toBe(true);
  });
});
