import { setTimeout as sleep } from 'node:timers/promises';
import { EchoServer, registryDbPath, request, RuntimeGate, TestApp, TestHaproxy, waitFor } from '../support';

const INTERVAL_MS = 1000;
/** Long enough for a change that does not wait its turn to reach HAProxy (a few Runtime API calls). */
const RACE_MS = 300;

interface Routed {
  id: string;
  haproxy_server: string | null;
  warning?: string;
}

/**
 * HAProxy's slots under the registry's one membership writer: what a full backend does, and changes
 * landing in the middle of a round's reconcile (forced by holding a Runtime API command).
 */
describe('registry-managed HAProxy slots', () => {
  let haproxy: TestHaproxy;
  let gate: RuntimeGate;
  let registry: TestApp;
  const echoes: EchoServer[] = [];

  const echo = async () => {
    const server = await EchoServer.start();
    echoes.push(server);
    return server;
  };
  const register = (server: EchoServer) =>
    request<Routed>(registry.url, '/services', {
      method: 'POST',
      json: { service_name: 'likes', url: server.url },
    });
  const listed = async () =>
    (await request<{ services: Routed[] }>(registry.url, '/services')).body.services.map((s) => s.id);
  const upInHaproxy = async (server: EchoServer) =>
    (await haproxy.servers('likes')).get(`127.0.0.1:${server.port}`) === 'UP';
  /** Resolves once a round has finished after `since` (the one held at the gate, when there is one). */
  const roundAfter = (since: number) =>
    waitFor('a round to finish', async () => {
      const { rounds } = (
        await request<{ rounds: { started_at: string; finished_at: string | null }[] }>(
          registry.url,
          '/rounds?limit=3',
        )
      ).body;
      return rounds.some((r) => r.finished_at && Date.parse(r.finished_at) > since);
    });

  beforeAll(async () => {
    haproxy = await TestHaproxy.start({ slots: 2 });
    gate = await RuntimeGate.start(haproxy.runtime);
    registry = await TestApp.start('registry', {
      REGISTRY_DB_PATH: registryDbPath('slots'),
      HAPROXY_RUNTIME_ADDR: gate.addr,
      HEALTH_CHECK_INTERVAL_MS: String(INTERVAL_MS),
      HEALTH_CHECK_TIMEOUT_MS: '500',
    });
    await waitFor(
      'the registry in its own backend',
      async () => (await haproxy.servers('registry')).size === 1,
    );
  });
  afterAll(async () => {
    await Promise.all(echoes.map((e) => e.stop('SIGKILL')));
    await registry?.stop();
    await gate?.stop();
    await haproxy?.stop();
  });

  it('keeps a registration that lands while a round reconciles', async () => {
    const late = await echo();
    const { held, release } = gate.hold(/^show servers state/);
    await held; // the round has read the table's neighbour, HAProxy's state, and waits
    const registration = register(late);
    await waitFor('the registration recorded', async () =>
      (await listed()).includes(`127.0.0.1:${late.port}`),
    );
    await sleep(RACE_MS); // a registration not queued behind the round would reach HAProxy now
    const releasedAt = Date.now();
    release();
    expect((await registration).body.haproxy_server).toMatch(/^likes\/s[12]$/);
    await roundAfter(releasedAt);
    expect(await upInHaproxy(late)).toBe(true);
  });

  it('does not put back a server whose deregistration lands while a round reconciles', async () => {
    const leaving = await echo();
    await register(leaving);
    await waitFor('leaving UP', () => upInHaproxy(leaving));
    const { held, release } = gate.hold(/^show servers state/);
    await held;
    const deregistration = request(registry.url, `/services/likes/instances/127.0.0.1:${leaving.port}`, {
      method: 'DELETE',
    });
    await waitFor('the record gone', async () => !(await listed()).includes(`127.0.0.1:${leaving.port}`));
    await sleep(RACE_MS); // a drain not queued behind the round would empty the slot now
    const releasedAt = Date.now();
    release();
    expect((await deregistration).status).toBe(200);
    await roundAfter(releasedAt);
    expect((await haproxy.servers('likes')).has(`127.0.0.1:${leaving.port}`)).toBe(false);
  });

  it('records an instance it cannot route when the backend is full, and routes it once a slot frees', async () => {
    // One slot is taken by the first test's instance; fill the other, then one more.
    const [second, third] = [await echo(), await echo()];
    expect((await register(second)).body.haproxy_server).toMatch(/^likes\/s[12]$/);
    const overflow = await register(third);
    expect(overflow.status).toBe(201);
    expect(overflow.body).toMatchObject({
      haproxy_server: null,
      warning: expect.stringContaining('not routed'),
    });
    expect(await listed()).toContain(`127.0.0.1:${third.port}`);
    const since = Date.now();
    await roundAfter(since);
    // The newest finished round: a newer one may be running, its tally not yet written.
    const { rounds } = (
      await request<{ rounds: { unrouted: number; finished_at: string | null }[] }>(
        registry.url,
        '/rounds?limit=3',
      )
    ).body;
    expect(rounds.find((r) => r.finished_at !== null)?.unrouted).toBe(1);

    await second.stop('SIGKILL'); // pruned at the next round, which gives its slot to the third
    // HAProxy takes the slot first; the registry records it once the whole sync is applied, a moment later.
    const routedAs = async () =>
      (await request<{ services: Routed[] }>(registry.url, '/services')).body.services.find(
        (s) => s.id === `127.0.0.1:${third.port}`,
      )?.haproxy_server;
    await waitFor(
      'third routed',
      async () => (await upInHaproxy(third)) && (await routedAs()),
      4 * INTERVAL_MS,
    );
    expect(await routedAs()).toMatch(/^likes\/s[12]$/);
    const answers = new Set<number>();
    for (let i = 0; i < 4; i++)
      answers.add((await request<{ port: number }>(`http://127.0.0.1:${haproxy.likes}`, '/')).body.port);
    expect(answers).toContain(third.port);
    expect(answers).not.toContain(second.port);
  });
});
