import { createServer, type Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, registryDbPath, request, RuntimeGate, TestApp, TestHaproxy, waitFor } from '../support';

const PUSH_TIMEOUT_MS = 1_000;
const INSTANCES = 30;

interface Listed {
  service_name: string;
  id: string;
  status: string;
}

/**
 * Several front doors fed by one registry (HAPROXY_RUNTIME_ADDRS): three HAProxies from the repo's
 * haproxy.cfg kept equal to the registry through registrations, a kill and restart, a SIGSTOP, a
 * registry restart and a refused command. Rounds are an hour apart: whatever heals here is the
 * push or the monitor, never a round.
 */
describe('several HAProxies kept in step', () => {
  const haproxies: TestHaproxy[] = [];
  let gate: RuntimeGate; // in front of the third one's Runtime API, to refuse a command
  let registry: TestApp;
  let env: NodeJS.ProcessEnv;
  const servers: Server[] = [];
  const ports: number[] = [];
  /** Requests through every HAProxy that did not get a 200, while `load` runs. */
  const failures: string[] = [];
  let loading = false;
  let load: Promise<unknown> = Promise.resolve();

  const id = (port: number) => `127.0.0.1:${port}`;
  const register = async (port: number) => {
    const started = performance.now();
    const answer = await request(registry.url, '/services', {
      method: 'POST',
      json: { service_name: 'likes', url: `http://${id(port)}` },
    });
    expect([200, 201]).toContain(answer.status);
    return performance.now() - started;
  };
  const deregister = async (port: number) => {
    const answer = await request(registry.url, `/services/likes/instances/${id(port)}`, { method: 'DELETE' });
    expect(answer.status).toBe(200);
  };
  const registered = async () =>
    new Set(
      (await request<{ services: Listed[] }>(registry.url, '/services')).body.services
        .filter((i) => i.service_name === 'likes')
        .map((i) => i.id),
    );
  /** True when `haproxy` routes exactly the registry's instances, every one of them UP. */
  const inStep = async (haproxy: TestHaproxy, wanted: Set<string>) => {
    const routed = await haproxy.servers('likes');
    return routed.size === wanted.size && [...wanted].every((i) => routed.get(i) === 'UP');
  };
  const allInStep = async (within: number, among: TestHaproxy[] = haproxies) => {
    const wanted = await registered();
    await waitFor(
      `every HAProxy routing the registry's ${wanted.size} instances`,
      async () => (await Promise.all(among.map((h) => inStep(h, wanted)))).every(Boolean),
      within,
      25,
    );
  };
  const sameIndexEverywhere = () =>
    waitFor('the same applied index on every HAProxy', async () => {
      const indexes = await Promise.all(haproxies.map((h) => h.appliedIndex()));
      return indexes[0] !== null && new Set(indexes).size === 1;
    });
  const slotsOf = async (haproxy: TestHaproxy) =>
    [...(await haproxy.slotStats('likes'))]
      .filter(([, s]) => !s.parked)
      .map(([name, s]) => `${name}=${s.addr}`);
  const startLoad = () => {
    loading = true;
    load = Promise.all(
      haproxies.map(async (haproxy) => {
        while (loading) {
          try {
            const response = await fetch(`http://127.0.0.1:${haproxy.likes}/posts/1/likes`);
            await response.arrayBuffer();
            if (response.status !== 200) failures.push(`${haproxy.likes}: ${response.status}`);
          } catch (error) {
            failures.push(`${haproxy.likes}: ${(error as Error).message}`);
          }
          await sleep(5);
        }
      }),
    );
  };
  const stopLoad = async () => {
    loading = false;
    await load;
  };
  const startRegistry = async () => {
    registry = await TestApp.start('registry', env);
  };

  beforeAll(async () => {
    for (let i = 0; i < 3; i++) haproxies.push(await TestHaproxy.start({ slots: 40 }));
    gate = await RuntimeGate.start(haproxies[2].runtime);
    for (let i = 0; i < INSTANCES; i++) {
      const port = await freePort();
      const server = createServer((req, res) => res.end('{}'));
      await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
      servers.push(server);
      ports.push(port);
    }
    env = {
      REGISTRY_DB_PATH: registryDbPath('front-doors'),
      HAPROXY_RUNTIME_ADDRS: [haproxies[0].runtimeAddr, haproxies[1].runtimeAddr, gate.addr].join(','),
      HAPROXY_PUSH_TIMEOUT_MS: String(PUSH_TIMEOUT_MS),
      HEALTH_CHECK_INTERVAL_MS: '3600000',
    };
    await startRegistry();
  });
  afterAll(async () => {
    loading = false;
    for (const haproxy of haproxies) haproxy.signal('SIGCONT');
    await registry?.stop();
    for (const server of servers) server.closeAllConnections();
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
    await gate?.stop();
    await Promise.all(haproxies.map((h) => h.stop()));
  });

  it('keeps all three equal to the registry within a second of each change, under traffic', async () => {
    for (const port of ports.slice(0, 20)) await register(port);
    await allInStep(1_000);
    startLoad();
    await Promise.all(ports.slice(0, 10).map(deregister));
    await allInStep(1_000);
    await Promise.all(ports.slice(0, 10).map(register));
    await allInStep(1_000);
    await stopLoad();
    expect(failures).toEqual([]);
    await sameIndexEverywhere();
  });

  it('keeps backend connections open on every HAProxy: under 1% of requests open a new one', async () => {
    const totals = async (haproxy: TestHaproxy) => {
      const slots = [...(await haproxy.slotStats('likes')).values()];
      return {
        requests: slots.reduce((sum, s) => sum + s.requests, 0),
        connects: slots.reduce((sum, s) => sum + s.connects, 0),
      };
    };
    // Four keep-alive clients over the 20 instances.
    const load = (haproxy: TestHaproxy, each: number) =>
      Promise.all(
        Array.from({ length: 4 }, async () => {
          for (let i = 0; i < each; i++) await request(`http://127.0.0.1:${haproxy.likes}`, '/posts/1/likes');
        }),
      );
    for (const haproxy of haproxies) {
      // Warmed up first: the instances close connections idle for 5 s, so each slot opens one anew.
      await load(haproxy, 50);
      const before = await totals(haproxy);
      await load(haproxy, 500);
      const after = await totals(haproxy);
      expect(after.requests - before.requests).toBeGreaterThanOrEqual(2_000);
      expect(after.connects - before.connects).toBeLessThanOrEqual(20);
    }
  });

  it('heals a killed HAProxy within 3 s of its restart, with no round in between', async () => {
    const killed = haproxies[0];
    killed.signal('SIGKILL');
    await sleep(200);
    for (const port of ports.slice(20, 25)) await register(port);
    await Promise.all(ports.slice(0, 5).map(deregister));
    await allInStep(1_000, haproxies.slice(1));
    await killed.start();
    const started = performance.now();
    await allInStep(3_000);
    expect(performance.now() - started).toBeLessThan(3_000);
    await sameIndexEverywhere();
  });

  it('answers registrations within the push timeout while one HAProxy is stopped, and never sets it back', async () => {
    const stopped = haproxies[1];
    const others = [haproxies[0], haproxies[2]];
    const before = await stopped.appliedIndex();
    stopped.signal('SIGSTOP');
    const stoppedAt = performance.now();
    const answered: number[] = [];
    let turn = 0;
    while (performance.now() - stoppedAt < 10_000) {
      const port = ports[5 + (turn % 5)];
      if (turn++ % 2 === 0) answered.push(await register(port));
      else await deregister(port);
      await allInStep(1_000, others);
    }
    expect(Math.max(...answered)).toBeLessThan(PUSH_TIMEOUT_MS + 500);
    stopped.signal('SIGCONT');
    const seen: (number | null)[] = [];
    const resumed = performance.now();
    await waitFor(
      'the stopped HAProxy caught up',
      async () => {
        seen.push(await stopped.appliedIndex());
        return inStep(stopped, await registered());
      },
      3_000,
      25,
    );
    expect(performance.now() - resumed).toBeLessThan(3_000);
    const indexes = [before, ...seen].filter((i): i is number => i !== null);
    expect(indexes).toEqual([...indexes].sort((a, b) => a - b)); // it only ever moved forward
    await sameIndexEverywhere();
  });

  it('keeps every assignment on every HAProxy across a registry restart, dropping no request', async () => {
    await allInStep(1_000);
    const before = await Promise.all(haproxies.map(slotsOf));
    failures.length = 0;
    startLoad();
    await registry.stop();
    await startRegistry();
    await sleep(2_500); // its monitor has probed and reconciled every HAProxy
    await stopLoad();
    expect(failures).toEqual([]);
    expect(await Promise.all(haproxies.map(slotsOf))).toEqual(before);
    const view = (
      await request<{ haproxy: { address: string; reachable: boolean; lag_ms: number }[] }>(
        registry.url,
        '/health-check',
      )
    ).body.haproxy;
    expect(view.map((t) => t.address)).toEqual([
      haproxies[0].runtimeAddr,
      haproxies[1].runtimeAddr,
      gate.addr,
    ]);
    expect(view.every((t) => t.lag_ms === 0 && t.reachable)).toBe(true);
    // The dashboard's state shows the same, for its table of HAProxies.
    const dashboard = (await request<{ haproxies: { address: string }[] }>(registry.url, '/ui/state')).body;
    expect(dashboard.haproxies.map((t) => t.address)).toEqual(view.map((t) => t.address));
  });

  it('counts and logs a command one HAProxy refuses, and the others are not held up', async () => {
    const refused = gate.refuse(/^set server likes\/s\d+ addr/, 'No such server.');
    const port = ports[25];
    await register(port);
    await refused;
    await allInStep(1_000, haproxies.slice(0, 2));
    const metrics = await (await fetch(`${registry.url}/metrics`)).text();
    expect(metrics).toMatch(
      new RegExp(`chirp_registry_haproxy_sync_errors_total\\{target="${gate.addr}"\\} [1-9]`),
    );
    expect(registry.child.output).toContain('refused a change to likes/');
    // Left behind by the refusal, it shows as lagging and is reconciled in full (HAPROXY_MAX_LAG_MS).
    await allInStep(8_000);
  });
});
