import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EchoServer, request, TestApp, TestHaproxy, waitFor } from '../support';

const INTERVAL_MS = 1000;
const TIMEOUT_MS = 600;

describe('registry and HAProxy membership', () => {
  let haproxy: TestHaproxy;
  let registry: TestApp;
  const dbPath = join(mkdtempSync(join(tmpdir(), 'chirp-membership-')), 'registry.db');
  const echoes: EchoServer[] = [];

  const startRegistry = () =>
    TestApp.start('registry', {
      REGISTRY_DB_PATH: dbPath,
      HAPROXY_RUNTIME_ADDR: haproxy.runtimeAddr,
      HEALTH_CHECK_INTERVAL_MS: String(INTERVAL_MS),
      HEALTH_CHECK_TIMEOUT_MS: String(TIMEOUT_MS),
    });
  const likesServers = async () => haproxy.servers('likes');
  const viaHaproxy = async () =>
    (await request<{ port: number }>(`http://127.0.0.1:${haproxy.likes}/`)).body.port;
  const instances = async () =>
    (
      await request<{ instances: { id: string }[] }>(`${registry.url}/services/likes/instances`)
    ).body.instances.map((i) => i.id);
  const echo = async (options: { hang?: boolean } = {}) => {
    const server = await EchoServer.start(options);
    echoes.push(server);
    return server;
  };

  beforeAll(async () => {
    haproxy = await TestHaproxy.start();
    registry = await startRegistry();
  });
  afterAll(async () => {
    await Promise.all(echoes.map((e) => e.stop('SIGKILL')));
    await registry?.stop();
    await haproxy?.stop();
  });

  it('adds a registered instance to HAProxy, and requests alternate between two', async () => {
    const [a, b] = [await echo(), await echo()];
    await a.register(registry.url, 'likes');
    await b.register(registry.url, 'likes');
    await waitFor('both UP in HAProxy', async () => {
      const servers = await likesServers();
      return servers.get(`127.0.0.1:${a.port}`) === 'UP' && servers.get(`127.0.0.1:${b.port}`) === 'UP';
    });
    const ports: number[] = [];
    for (let i = 0; i < 6; i++) ports.push(await viaHaproxy());
    expect(new Set(ports)).toEqual(new Set([a.port, b.port]));
    // round-robin: never the same instance twice in a row
    ports.slice(1).forEach((port, i) => expect(port).not.toBe(ports[i]));
  });

  it('prunes a killed instance on the next round and removes it from HAProxy', async () => {
    const victim = await echo();
    await victim.register(registry.url, 'likes');
    await waitFor('victim UP', async () => (await likesServers()).get(`127.0.0.1:${victim.port}`) === 'UP');
    await victim.stop('SIGKILL');
    const killedAt = Date.now();
    await waitFor(
      'victim pruned',
      async () => !(await instances()).includes(`127.0.0.1:${victim.port}`),
      INTERVAL_MS + TIMEOUT_MS + 3000,
    );
    await waitFor(
      'victim gone from HAProxy',
      async () => !(await likesServers()).has(`127.0.0.1:${victim.port}`),
    );
    expect(Date.now() - killedAt).toBeLessThan(INTERVAL_MS * 2 + TIMEOUT_MS + 2000);
    for (let i = 0; i < 6; i++) expect(await viaHaproxy()).not.toBe(victim.port);
  });

  it('keeps its instances across a registry restart', async () => {
    const before = (await instances()).sort();
    expect(before.length).toBeGreaterThan(0);
    await registry.stop();
    registry = await startRegistry();
    expect((await instances()).sort()).toEqual(before);
  });

  it('puts the servers back within one round after HAProxy restarts', async () => {
    const expected = (await instances()).sort();
    await haproxy.restart();
    expect((await likesServers()).size).toBe(0); // runtime-added servers vanish with HAProxy
    await waitFor(
      'servers restored',
      async () => JSON.stringify([...(await likesServers()).keys()].sort()) === JSON.stringify(expected),
      INTERVAL_MS + TIMEOUT_MS + 2000,
    );
  });
});
