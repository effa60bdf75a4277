import { setTimeout as sleep } from 'node:timers/promises';
import { EchoServer, Load, registryDbPath, request, TestApp, TestHaproxy, waitFor } from '../support';

const INTERVAL_MS = 1000;

interface Listed {
  id: string;
  status: string;
  weight: number;
  maintenance: { reason: string; since: string } | null;
  haproxy_server: string | null;
}

/**
 * Weights and maintenance mode, end to end: the registry's answers, real HAProxy's slots, and the
 * requests each instance actually receives through HAProxy.
 */
describe('weights and maintenance through HAProxy', () => {
  let haproxy: TestHaproxy;
  let registry: TestApp;
  let a: EchoServer;
  let b: EchoServer;

  const viaHaproxy = async () =>
    (await request<{ port: number }>(`http://127.0.0.1:${haproxy.likes}`, '/')).body.port;
  /** Who answered `count` requests through HAProxy, from four keep-alive clients: port → requests. */
  const spread = async (count: number) => {
    const by = new Map<number, number>();
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let i = 0; i < count / 4; i++) {
          const port = await viaHaproxy();
          by.set(port, (by.get(port) ?? 0) + 1);
        }
      }),
    );
    return by;
  };
  const instance = async (server: EchoServer) =>
    (await request<Listed>(registry.url, `/services/likes/instances/127.0.0.1:${server.port}`)).body;
  const passingIds = async () =>
    (await request<{ instances: Listed[] }>(registry.url, '/services/likes/instances')).body.instances.map(
      (i) => i.id,
    );
  const haproxyState = async (server: EchoServer) =>
    (await haproxy.servers('likes')).get(`127.0.0.1:${server.port}`);
  /** Requests the instance has served, read directly (the read itself counts one). */
  const served = async (server: EchoServer) =>
    (await request<{ served: number }>(server.url, '/')).body.served;
  const put = (path: string, json: Record<string, unknown>) =>
    request<Listed & { error?: string; message?: string }>(registry.url, path, { method: 'PUT', json });

  beforeAll(async () => {
    haproxy = await TestHaproxy.start({ slots: 4 });
    registry = await TestApp.start('registry', {
      REGISTRY_DB_PATH: registryDbPath('weights'),
      HAPROXY_RUNTIME_ADDR: haproxy.runtimeAddr,
      HEALTH_CHECK_INTERVAL_MS: String(INTERVAL_MS),
      HEALTH_CHECK_TIMEOUT_MS: '500',
      HAPROXY_DRAIN_TIMEOUT_MS: '3000',
    });
    [a, b] = await Promise.all([EchoServer.start(), EchoServer.start()]);
    await a.register(registry.url, 'likes');
    const registered = await request<Listed>(registry.url, '/services', {
      method: 'POST',
      json: { service_name: 'likes', url: b.url, weight: 3 },
    });
    expect(registered.body.weight).toBe(3);
    await waitFor('both up in HAProxy', async () =>
      (await Promise.all([a, b].map(haproxyState))).every((s) => s === 'UP'),
    );
  });
  afterAll(async () => {
    await Promise.all([a, b].map((s) => s?.stop('SIGKILL')));
    await registry?.stop();
    await haproxy?.stop();
  });

  it('splits traffic by weight: 1 and 3 take a quarter and three quarters; weight 0 takes none', async () => {
    const by = await spread(4000);
    expect((by.get(b.port) ?? 0) / 4000).toBeGreaterThanOrEqual(0.7);
    expect((by.get(b.port) ?? 0) / 4000).toBeLessThanOrEqual(0.8);

    const held = await put(`/services/likes/instances/127.0.0.1:${a.port}/weight`, { weight: 0 });
    expect(held.status).toBe(200);
    expect(held.body).toMatchObject({ weight: 0, status: 'passing' });
    // Registered, checked and passing: still listed, but given no new request.
    expect(await passingIds()).toContain(`127.0.0.1:${a.port}`);
    const after = await spread(400);
    expect(after.get(a.port)).toBeUndefined();
    // A re-registration naming no weight keeps the operator's.
    await a.register(registry.url, 'likes');
    expect((await instance(a)).weight).toBe(0);
    await put(`/services/likes/instances/127.0.0.1:${a.port}/weight`, { weight: 1 });
    await put(`/services/likes/instances/127.0.0.1:${b.port}/weight`, { weight: '1' });
    const even = (await spread(400)).get(a.port) ?? 0;
    expect(even).toBeGreaterThanOrEqual(180);
    expect(even).toBeLessThanOrEqual(220);
  });

  it('refuses bad weights and maintenance inputs with a 400 naming the field, changing nothing', async () => {
    for (const weight of [257, -1, 1.5, 'abc', '']) {
      const answer = await put(`/services/likes/instances/127.0.0.1:${a.port}/weight`, { weight });
      expect(answer.status).toBe(400);
      expect(answer.body.message).toMatch(/^weight: /);
    }
    const enable = await put(`/services/likes/instances/127.0.0.1:${a.port}/maintenance`, {
      enable: 'maybe',
    });
    expect(enable).toMatchObject({ status: 400, body: { message: expect.stringMatching(/^enable: /) } });
    const reason = await put(`/services/likes/instances/127.0.0.1:${a.port}/maintenance`, {
      reason: 'x'.repeat(1025),
    });
    expect(reason).toMatchObject({ status: 400, body: { message: expect.stringMatching(/^reason: /) } });
    const unknown = await put('/services/likes/instances/127.0.0.1:1/maintenance', {});
    expect(unknown.status).toBe(404);
    expect((await put('/services/nobody/maintenance', {})).status).toBe(404);
    expect(await instance(a)).toMatchObject({ weight: 1, maintenance: null });
  });

  it('takes an instance out of traffic under load and back, failing no request, never pruning it', async () => {
    const load = new Load(async () => ({ by: await viaHaproxy() }), 4);
    await sleep(300);
    const entered = await put(`/services/likes/instances/127.0.0.1:${a.port}/maintenance`, {
      reason: 'kernel upgrade',
    });
    expect(entered.status).toBe(200);
    expect(entered.body.maintenance).toMatchObject({ reason: 'kernel upgrade' });
    // The answer comes once its requests are done: from here on it gets none.
    expect(await haproxyState(a)).toBe('MAINT');
    expect(await passingIds()).toEqual([`127.0.0.1:${b.port}`]);
    const before = await served(a);
    // It stops answering anything (its checks included) and stays registered through several rounds.
    a.child.signal('SIGSTOP');
    await sleep(3 * INTERVAL_MS + 500);
    a.child.signal('SIGCONT');
    expect(await served(a)).toBe(before + 1); // only the direct read
    expect(await instance(a)).toMatchObject({ status: 'passing', maintenance: { reason: 'kernel upgrade' } });

    const left = await request<Listed>(
      registry.url,
      `/services/likes/instances/127.0.0.1:${a.port}/maintenance`,
      {
        method: 'DELETE',
      },
    );
    expect(left.body).toMatchObject({ status: 'passing', maintenance: null, consecutive_successes: 1 });
    // Back at once, after the check made on leaving, not at the next round.
    await waitFor('it answers through HAProxy again', async () => (await served(a)) > before + 3, 3_000);
    const report = await load.stop();
    expect(report.failures).toEqual([]);
    expect(report.ok).toBeGreaterThan(100);
  });

  it('puts a whole service in maintenance and back, and shows it in the Consul view', async () => {
    const entered = await request<{ instances: Listed[] }>(registry.url, '/services/likes/maintenance', {
      method: 'PUT',
      json: { reason: 'deploy' },
    });
    expect(entered.body.instances.map((i) => i.maintenance?.reason)).toEqual(['deploy', 'deploy']);
    expect(await passingIds()).toEqual([]);
    const consul = await request<{ Service: { ID: string }; Checks: { CheckID: string; Notes: string }[] }[]>(
      registry.url,
      '/v1/health/service/likes',
    );
    expect(consul.body[0].Checks[0]).toMatchObject({
      CheckID: `_service_maintenance:${consul.body[0].Service.ID}`,
      Notes: 'deploy',
    });
    expect((await request<unknown[]>(registry.url, '/v1/health/service/likes?passing')).body).toEqual([]);
    expect([await haproxyState(a), await haproxyState(b)]).toEqual(['MAINT', 'MAINT']);

    const left = await request<{ instances: Listed[] }>(registry.url, '/services/likes/maintenance', {
      method: 'DELETE',
    });
    expect(left.body.instances.map((i) => [i.status, i.maintenance])).toEqual([
      ['passing', null],
      ['passing', null],
    ]);
    expect((await passingIds()).sort()).toEqual([`127.0.0.1:${a.port}`, `127.0.0.1:${b.port}`].sort());
    await waitFor('both up in HAProxy', async () =>
      (await Promise.all([a, b].map(haproxyState))).every((s) => s === 'UP'),
    );
  });
});
