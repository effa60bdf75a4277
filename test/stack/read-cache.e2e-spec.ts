import { request as httpRequest } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { EchoServer, registryDbPath, TestApp, TestHaproxy, waitFor } from '../support';

const MAX_AGE_S = 2;

describe("HAProxy's read cache", () => {
  let haproxy: TestHaproxy;
  let registry: TestApp;
  let likes: EchoServer;
  let polls: EchoServer;

  const get = async (port: number, path: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`http://127.0.0.1:${port}${path}`, { headers });
    const body = (await response.json()) as { served: number };
    return { cache: response.headers.get('x-cache'), served: body.served };
  };

  /** A GET carrying a body (fetch refuses one), sent with a length or, without `length`, chunked. */
  const getWithBody = (port: number, path: string, type: string, body: string, length = true) =>
    new Promise<{ cache: string | null; served: number }>((resolve, reject) => {
      // Node frames a GET's body only when told how: a length, or chunks.
      const framing = length
        ? { 'content-length': Buffer.byteLength(body) }
        : { 'transfer-encoding': 'chunked' };
      const headers = { 'content-type': type, ...framing };
      const sent = httpRequest({ host: '127.0.0.1', port, path, method: 'GET', headers }, (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () => {
          const cache = response.headers['x-cache'];
          resolve({
            cache: typeof cache === 'string' ? cache : null,
            served: (JSON.parse(text) as { served: number }).served,
          });
        });
      });
      sent.on('error', reject);
      sent.end(body);
    });

  beforeAll(async () => {
    haproxy = await TestHaproxy.start({ cacheMaxAge: MAX_AGE_S });
    registry = await TestApp.start('registry', {
      REGISTRY_DB_PATH: registryDbPath('cache'),
      HAPROXY_RUNTIME_ADDR: haproxy.runtimeAddr,
    });
    likes = await EchoServer.start();
    polls = await EchoServer.start();
    await likes.register(registry.url, 'likes');
    await polls.register(registry.url, 'polls');
    await waitFor('both UP', async () => {
      const [l, p] = [await haproxy.servers('likes'), await haproxy.servers('polls')];
      return [...l.values(), ...p.values()].filter((s) => s === 'UP').length === 2;
    });
  });
  afterAll(async () => {
    await likes?.stop();
    await polls?.stop();
    await registry?.stop();
    await haproxy?.stop();
  });

  it.each([
    ['likes', '/top/likes'],
    ['likes', '/likes/top?limit=3'],
    ['polls', '/allresults'],
    ['polls', '/results?limit=2'],
  ])('serves %s %s from the cache after the first read, marked HIT', async (service, path) => {
    const port = service === 'likes' ? haproxy.likes : haproxy.polls;
    const first = await get(port, path);
    expect(first.cache).toBe('MISS');
    const second = await get(port, path);
    expect(second).toEqual({ cache: 'HIT', served: first.served });
  });

  it('neither caches nor marks cacheable an error answer', async () => {
    const error = async () => {
      const response = await fetch(`http://127.0.0.1:${haproxy.likes}/top/likes?status=400`);
      const { served } = (await response.json()) as { served: number };
      return { status: response.status, cacheControl: response.headers.get('cache-control'), served };
    };
    const first = await error();
    expect(first).toEqual({ status: 400, cacheControl: null, served: expect.any(Number) });
    expect(await error()).toEqual({ ...first, served: first.served + 1 });
  });

  it('never caches per-user or per-post reads', async () => {
    for (const path of [
      '/likes?posts_id=1',
      '/user/likes?username=ana',
      '/users/ana/likes',
      '/posts/1/likes',
    ]) {
      const [a, b] = [await get(haproxy.likes, path), await get(haproxy.likes, path)];
      expect([a.cache, b.cache]).toEqual([null, null]);
      expect(b.served).toBe(a.served + 1);
    }
  });

  // The apps read a GET's body as input; the cache key is the URI only, so such a read must neither be
  // answered from the cache nor stored in it for everyone else.
  it.each([
    ['likes', '/top/likes?json', 'application/json', '{"limit":"1"}', true],
    ['likes', '/likes/top?form', 'application/x-www-form-urlencoded', 'limit=1', true],
    ['polls', '/results?chunked', 'application/json', '{"limit":"1"}', false],
  ])('bypasses the cache both ways for %s %s carrying a body', async (service, path, type, body, length) => {
    const port = service === 'likes' ? haproxy.likes : haproxy.polls;
    const plain = await get(port, path);
    expect(plain.cache).toBe('MISS');
    expect((await get(port, path)).cache).toBe('HIT');

    const bodied = await getWithBody(port, path, type, body, length);
    expect(bodied).toEqual({ cache: null, served: expect.any(Number) });
    expect(bodied.served).toBeGreaterThan(plain.served); // it reached an instance, not the cache
    const again = await getWithBody(port, path, type, body, length);
    expect(again.served).toBe(bodied.served + 1);
    // The plain read still gets the entry stored before, not the bodied answer.
    expect(await get(port, path)).toEqual({ cache: 'HIT', served: plain.served });
  });

  it('skips the cache for Cache-Control: no-cache', async () => {
    await get(haproxy.likes, '/top/likes');
    const fresh = await get(haproxy.likes, '/top/likes', { 'cache-control': 'no-cache' });
    expect(fresh.cache).toBe('MISS');
    const again = await get(haproxy.likes, '/top/likes', { 'cache-control': 'no-cache' });
    expect(again.served).toBe(fresh.served + 1);
  });

  it('expires entries after CACHE_MAX_AGE seconds', async () => {
    const first = await get(haproxy.polls, '/allresults?expiry');
    expect((await get(haproxy.polls, '/allresults?expiry')).cache).toBe('HIT');
    await sleep(MAX_AGE_S * 1000 + 500);
    const later = await get(haproxy.polls, '/allresults?expiry');
    expect(later.cache).toBe('MISS');
    expect(later.served).toBeGreaterThan(first.served);
  });
});
