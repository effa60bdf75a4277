import { request, startRegistryBehindHaproxy, type TestApp, type TestHaproxy, waitFor } from '../support';

const CLIENTS = 1_000;

describe('blocking queries whose clients go away', () => {
  let haproxy: TestHaproxy;
  let registry: TestApp;

  beforeAll(async () => {
    // Rounds 5 min apart: nothing moves the index while the queries are held.
    ({ haproxy, registry } = await startRegistryBehindHaproxy({
      HEALTH_CHECK_INTERVAL_MS: '300000',
      REGISTRY_MAX_HELD_QUERIES: String(CLIENTS),
    }));
  });
  afterAll(async () => {
    await registry?.stop();
    await haproxy?.stop();
  });

  const held = async () => {
    const metrics = await (await fetch(`${registry.url}/metrics`)).text();
    return Number(/^chirp_registry_held_watches (\d+)/m.exec(metrics)?.[1]);
  };

  /** Holds CLIENTS queries on `paths` (in turn) at `base`, drops them all, and says how long the registry took to let go. */
  async function dropClients(base: string, paths: string[]): Promise<number> {
    const index = Number((await request(registry.url, '/services')).headers.get('x-registry-index'));
    const controller = new AbortController();
    const queries = Array.from({ length: CLIENTS }, (_, i) => {
      const path = paths[i % paths.length].replace('INDEX', String(index));
      return fetch(`${base}${path}`, { signal: controller.signal }).then(
        (r) => r.status,
        () => 'dropped',
      );
    });
    await waitFor(`${CLIENTS} held`, async () => (await held()) === CLIENTS, 30_000, 200);
    const dropped = Date.now();
    controller.abort();
    expect(new Set(await Promise.all(queries))).toEqual(new Set(['dropped']));
    await waitFor('the holds released', async () => (await held()) === 0, 10_000, 20);
    return Date.now() - dropped;
  }

  const paths = [
    '/services?index=INDEX&wait=5m',
    '/services/likes/instances?index=INDEX&wait=5m',
    '/v1/health/service/likes?index=INDEX&wait=300000ms',
    '/ui/state?index=INDEX&wait=5m',
  ];

  it.each([
    ['directly', () => registry.url],
    ['through HAProxy', () => `http://127.0.0.1:${haproxy.registry}`],
  ])('are released at once, %s, and new ones are held again', async (_how, base) => {
    // Held for 5 minutes unless released: a few seconds' bound tells the two apart on a busy machine
    // (about 200 ms on an idle one).
    expect(await dropClients(base(), paths)).toBeLessThan(5_000);
    // The limit is free again: a new blocking query is held, not refused with 429.
    const index = (await request(registry.url, '/services')).headers.get('x-registry-index');
    const answer = await request(registry.url, `/services?index=${index}&wait=300ms`);
    expect(answer.status).toBe(200);
  });
});
