import { request, startRegistryBehindHaproxy, type TestApp, type TestHaproxy, waitFor } from '../support';

describe('a blocking query through HAProxy', () => {
  let haproxy: TestHaproxy;
  let registry: TestApp;

  beforeAll(async () => {
    // Rounds 5 min apart: once the first (5 s after boot) is over, nothing moves the index while a query is held.
    ({ haproxy, registry } = await startRegistryBehindHaproxy({ HEALTH_CHECK_INTERVAL_MS: '300000' }));
    await waitFor('the first round', async () => {
      const { body } = await request<{ rounds: { finished_at: string | null }[] }>(registry.url, '/rounds');
      return body.rounds[0]?.finished_at;
    });
  });
  afterAll(async () => {
    await registry?.stop();
    await haproxy?.stop();
  });

  it("is held past HAProxy's 30 s default timeouts and answered by the registry, not cut", async () => {
    const url = `http://127.0.0.1:${haproxy.registry}/services`;
    const index = (await request(url, '')).headers.get('x-registry-index');
    const started = Date.now();
    const held = await fetch(`${url}?index=${index}&wait=32s`, { signal: AbortSignal.timeout(60_000) });
    expect(held.status).toBe(200);
    expect(held.headers.get('x-registry-index')).toBe(index);
    expect(Date.now() - started).toBeGreaterThanOrEqual(32_000);
  });
});
