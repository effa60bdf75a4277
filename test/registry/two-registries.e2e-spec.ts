import { setTimeout as sleep } from 'node:timers/promises';
import { EchoServer, registryDbPath, request, TestApp, TestHaproxy, waitFor } from '../support';

interface Round {
  holder: string;
  started_at: string;
  finished_at: string | null;
}

const INTERVAL_MS = 300;

describe('two registry processes on one database', () => {
  let haproxy: TestHaproxy;
  let a: TestApp;
  let b: TestApp;
  const echoes: EchoServer[] = [];
  const dbPath = registryDbPath('two');
  const start = () =>
    TestApp.start('registry', {
      REGISTRY_DB_PATH: dbPath,
      HAPROXY_RUNTIME_ADDR: haproxy.runtimeAddr,
      HEALTH_CHECK_INTERVAL_MS: String(INTERVAL_MS),
      HEALTH_CHECK_TIMEOUT_MS: '250',
    });
  const registryIds = async () =>
    (await request<{ instances: { id: string }[] }>(a.url, '/services/registry/instances')).body.instances
      .map((i) => i.id)
      .sort();

  beforeAll(async () => {
    haproxy = await TestHaproxy.start();
    a = await start();
    b = await start();
    // Give the checkers something to do: a few instances, one of them slow to die.
    for (let i = 0; i < 3; i++) {
      const echo = await EchoServer.start();
      echoes.push(echo);
      await echo.register(a.url, 'likes');
    }
  });
  afterAll(async () => {
    await Promise.all(echoes.map((e) => e.stop('SIGKILL')));
    await a?.stop();
    await b?.stop();
    await haproxy?.stop();
  });

  it('both register as service "registry" and both are UP in HAProxy', async () => {
    await waitFor('both registries UP', async () => {
      const servers = await haproxy.servers('registry');
      return servers.get(`127.0.0.1:${a.port}`) === 'UP' && servers.get(`127.0.0.1:${b.port}`) === 'UP';
    });
    expect(await registryIds()).toEqual([`127.0.0.1:${a.port}`, `127.0.0.1:${b.port}`].sort());
  });

  it('never runs two rounds at once', async () => {
    await sleep(15 * INTERVAL_MS);
    const rounds = (await request<{ rounds: Round[] }>(b.url, '/rounds?limit=200')).body.rounds
      .filter((r) => r.finished_at !== null)
      .reverse();
    expect(rounds.length).toBeGreaterThanOrEqual(5);
    rounds
      .slice(1)
      .forEach((round, i) =>
        expect(Date.parse(round.started_at)).toBeGreaterThanOrEqual(Date.parse(rounds[i].finished_at!)),
      );
  });

  it('deregisters a registry on SIGTERM before it exits', async () => {
    const id = `127.0.0.1:${b.port}`;
    b.child.signal('SIGTERM');
    // While it is still shutting down its record must already be gone.
    await waitFor('b deregistered', async () => !(await registryIds()).includes(id), 10_000, 20);
    await b.child.exited();
    expect((await haproxy.servers('registry')).has(id)).toBe(false);
    // It left by deregistering, not by failing a check.
    expect(a.child.output).not.toContain(`pruned registry http://${id}`);
  });

  it('the survivor takes over the rounds once the leader is gone', async () => {
    const before = Date.now();
    await waitFor(
      'a round by the survivor',
      async () =>
        (await request<{ rounds: Round[] }>(a.url, '/rounds?limit=5')).body.rounds.some(
          (r) => Date.parse(r.started_at) > before && r.finished_at !== null,
        ),
      10_000,
    );
  });

  it('takes over through lease expiry when the leader dies holding the lease, and prunes it', async () => {
    b = await start();
    await waitFor('b back', async () => (await registryIds()).includes(`127.0.0.1:${b.port}`));
    // Whoever ran the latest round holds the lease; its holder names its pid.
    const rounds = async (via: TestApp) =>
      (await request<{ rounds: Round[] }>(via.url, '/rounds?limit=50')).body.rounds;
    const [latest] = await rounds(a);
    const leader = [a, b].find((r) => latest.holder.includes(`/${r.child.pid}/`))!;
    const survivor = leader === a ? b : a;
    expect(leader).toBeDefined();
    // SIGKILL: no shutdown hook runs, so the lease row is left behind, still the leader's.
    await leader.stop('SIGKILL');
    const killedAt = Date.now();
    await waitFor(
      'a round by the survivor',
      async () =>
        (await rounds(survivor)).some(
          (r) => r.holder !== latest.holder && Date.parse(r.started_at) >= killedAt && r.finished_at !== null,
        ),
      10_000,
    );
    const id = `127.0.0.1:${leader.port}`;
    const ids = async () =>
      (
        await request<{ instances: { id: string }[] }>(survivor.url, '/services/registry/instances')
      ).body.instances.map((i) => i.id);
    await waitFor('the dead leader pruned', async () => !(await ids()).includes(id), 90_000);
    await waitFor('and gone from HAProxy', async () => !(await haproxy.servers('registry')).has(id));
    if (leader === a) a = survivor; // afterAll stops whoever is left
  });
});
