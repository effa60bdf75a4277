import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { registryDbPath, request } from '../support';
import { startRegistry } from './registry-support';

const register = (app: NestFastifyApplication, port: number) =>
  request(app, '/services', {
    method: 'POST',
    json: { service_name: 'likes', url: `http://127.0.0.1:${port}` },
  });
const indexOf = (response: { headers: Headers }) => Number(response.headers.get('x-registry-index'));
const get = (app: NestFastifyApplication, url: string) => request(app, url);

describe('blocking queries (?index=&wait=)', () => {
  let db: string;
  let app: NestFastifyApplication;
  let other: NestFastifyApplication;

  beforeAll(async () => {
    db = registryDbPath('watch');
    // Two registry processes' worth of state on one database, as in a two-registry formation.
    app = await startRegistry({ REGISTRY_DB_PATH: db, REGISTRY_MAX_HELD_QUERIES: '2' });
    other = await startRegistry({ REGISTRY_DB_PATH: db });
  });
  afterAll(async () => {
    await other.close();
    await app.close();
  });

  it('gives every list of instances the change index, which each registration moves', async () => {
    const before = await get(app, '/services');
    expect(indexOf(before)).toBeGreaterThan(0);
    await register(app, 7001);
    const after = await get(app, '/services/likes/instances');
    expect(indexOf(after)).toBeGreaterThan(indexOf(before));
  });

  it('holds a query until another registry process registers an instance, then answers the new state', async () => {
    const index = indexOf(await get(app, '/services/likes/instances'));
    let answered = false;
    const held = get(app, `/services/likes/instances?index=${index}&wait=60s`).then((r) => {
      answered = true;
      return r;
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(answered).toBe(false);
    await register(other, 7002);
    const response = await held;
    expect(response.status).toBe(200);
    expect(indexOf(response)).toBeGreaterThan(index);
    expect((response.body as { instances: { id: string }[] }).instances.map((i) => i.id)).toContain(
      '127.0.0.1:7002',
    );
  });

  it('waits out its wait when nothing changes, and answers the same index', async () => {
    const index = indexOf(await get(app, '/services'));
    const started = Date.now();
    const response = await get(app, `/services?index=${index}&wait=1s`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(indexOf(response)).toBe(index);
  });

  it('answers at once an index the registry has not reached (a restored database)', async () => {
    const index = indexOf(await get(app, '/services'));
    const response = await get(app, `/services?index=${index + 1000}&wait=5m`);
    expect(response.status).toBe(200);
    expect(indexOf(response)).toBe(index);
  });

  it.each([
    ['index=1&wait=forever', 'wait: must be a duration'],
    ['index=1&wait=6m', 'wait: must be a duration'],
    ['index=-1&wait=1s', 'index: must be a change index'],
  ])('refuses %s with a 400 naming the field', async (query, message) => {
    const response = await get(app, `/services?${query}`);
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ error: 'Bad Request', message: expect.stringContaining(message) });
  });

  it('refuses a query past REGISTRY_MAX_HELD_QUERIES with a 429, and answers held ones at shutdown', async () => {
    const index = indexOf(await get(app, '/services'));
    const held = [1, 2].map(() => get(app, `/services?index=${index}&wait=5m`));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const refused = await get(app, `/services?index=${index}&wait=5m`);
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({
      error: 'Too Many Requests',
      message: expect.stringContaining('REGISTRY_MAX_HELD_QUERIES'),
    });
    const closing = app.close();
    expect((await Promise.all(held)).map((r) => r.status)).toEqual([200, 200]);
    await closing;
    app = await startRegistry({ REGISTRY_DB_PATH: db }); // for afterAll
  });
});
