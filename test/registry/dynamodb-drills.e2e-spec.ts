import { existsSync, readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadRegistryConfig } from '../../apps/registry/src/registry.config';
import { initStore } from '../../apps/registry/src/store/init-store';
import { freePort, request, TestApp, TestHaproxy, waitFor } from '../support';
import { startDynamoDb, type StoreProcess } from '../support/stores';

const LEASE_MS = 3_000;
const INTERVAL_MS = 2_000;
const INSTANCES = 30;

interface Round {
  holder: string;
  epoch: number;
  started_at: string;
  finished_at: string | null;
}
interface Leadership {
  holder: string | null;
  epoch: number;
  this_registry: boolean;
}

/** Debian's libfaketime (package faketime, installed by bin/setup.sh), for this machine's architecture. */
const libfaketime = () => {
  const dir = readdirSync('/usr/lib').find((d) => existsSync(`/usr/lib/${d}/faketime/libfaketime.so.1`));
  if (!dir) throw new Error("libfaketime not found: install Debian's faketime (bin/setup.sh does)");
  return `/usr/lib/${dir}/faketime/libfaketime.so.1`;
};

/** How far ahead of ours a registry's wall clock is, read from its HTTP Date header (seconds' precision). */
const skewedClock = async (registry: TestApp) =>
  Date.parse((await fetch(`${registry.url}/health-check`)).headers.get('date') ?? '') - Date.now();

/**
 * Three registries on different ports sharing one DynamoDB Local table, one HAProxy, 30 small
 * instances; a 3 s lease and a 2 s interval. SIGSTOP stands in for a partition, which loopback
 * cannot give.
 */
describe('registries sharing DynamoDB: failure drills', () => {
  let dynamodb: StoreProcess;
  let haproxy: TestHaproxy;
  const registries: TestApp[] = [];
  const servers: Server[] = [];
  const ports: number[] = [];
  /** Ports whose health check answers 503. */
  const failing = new Set<number>();
  let env: NodeJS.ProcessEnv;

  const live = () => registries.filter((r) => r.child.alive);
  const url = (port: number) => `http://127.0.0.1:${port}`;
  const startRegistry = async (extra: NodeJS.ProcessEnv = {}) => {
    const registry = await TestApp.start('registry', { ...env, ...extra });
    registries.push(registry);
    return registry;
  };
  const leadership = async (via: TestApp) =>
    (await request<{ checker: Leadership }>(via.url, '/health-check')).body.checker;
  const leader = async () => {
    const { holder } = await leadership(live()[0]);
    return live().find((r) => holder?.includes(`/${r.child.pid}/`));
  };
  const rounds = async (via: TestApp) =>
    (await request<{ rounds: Round[] }>(via.url, '/rounds?limit=50')).body.rounds;
  const likes = async (via: TestApp) =>
    (
      await request<{ services: { service_name: string; id: string; status: string }[] }>(
        via.url,
        '/services',
      )
    ).body.services.filter((i) => i.service_name === 'likes');
  /** Registers `port` through the registries in turn from `first`; the registry that acknowledged it, if any. */
  const register = async (port: number, first: number) => {
    const candidates = live();
    for (let i = 0; i < candidates.length; i++) {
      const via = candidates[(first + i) % candidates.length];
      try {
        const answer = await request(via.url, '/services', {
          method: 'POST',
          json: { service_name: 'likes', url: url(port) },
        });
        if (answer.status === 200 || answer.status === 201) return via;
      } catch {
        // not acknowledged: a client tries the next registry
      }
    }
    return undefined;
  };
  const metric = async (via: TestApp, name: string) => {
    const text = await (await fetch(`${via.url}/metrics`)).text();
    return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
  };

  beforeAll(async () => {
    [dynamodb, haproxy] = await Promise.all([startDynamoDb(), TestHaproxy.start({ slots: 40 })]);
    env = {
      REGISTRY_STORE: 'dynamodb',
      REGISTRY_TABLE: 'registry',
      DYNAMODB_ENDPOINT: url(dynamodb.port),
      DYNAMODB_REQUEST_TIMEOUT_MS: '1000',
      HAPROXY_RUNTIME_ADDR: haproxy.runtimeAddr,
      REGISTRY_LEASE_MS: String(LEASE_MS),
      HEALTH_CHECK_INTERVAL_MS: String(INTERVAL_MS),
      HEALTH_CHECK_TIMEOUT_MS: '500',
      HEALTH_RECHECK_CRITICAL_MS: '1000',
      REGISTRY_DRILL_HOLD_MS: '2500',
    };
    await initStore(loadRegistryConfig(env), () => {});
    for (let i = 0; i < INSTANCES; i++) {
      const port = await freePort();
      const server = createServer((req, res) => {
        res.statusCode = failing.has(port) ? 503 : 200;
        res.end('{}');
      });
      await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
      servers.push(server);
      ports.push(port);
    }
    for (let i = 0; i < 3; i++) await startRegistry();
  });
  afterAll(async () => {
    for (const r of registries) r.child.signal('SIGCONT');
    dynamodb?.signal('SIGCONT');
    await Promise.all(registries.map((r) => r.stop('SIGKILL')));
    for (const server of servers) server.closeAllConnections();
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
    await haproxy?.stop();
    await dynamodb?.stop();
  });

  it('kill -9 of the leader under registrations: every acknowledged one is kept and routed, checks resume', async () => {
    const first = await waitFor('a leader', leader);
    const acknowledged: number[] = [];
    let killedAt = 0;
    // 20 registrations a second, spread over the three registries; the leader dies a third of the way in.
    for (let i = 0; i < INSTANCES; i++) {
      if (i === 10) {
        await first.stop('SIGKILL');
        killedAt = Date.now();
      }
      const started = Date.now();
      if (await register(ports[i], i)) acknowledged.push(ports[i]);
      await sleep(Math.max(0, 50 - (Date.now() - started)));
    }
    expect(acknowledged).toHaveLength(INSTANCES); // each one on some registry
    const survivor = live()[0];
    const ids = new Set((await likes(survivor)).map((i) => i.id));
    expect(acknowledged.filter((port) => !ids.has(`127.0.0.1:${port}`))).toEqual([]);
    const routed = await haproxy.servers('likes');
    expect(acknowledged.filter((port) => routed.get(`127.0.0.1:${port}`) !== 'UP')).toEqual([]);
    // A round by another holder, started within a lease and an interval of the kill.
    const resumed = await waitFor(
      'a round by a new leader',
      async () =>
        (await rounds(survivor)).find(
          (r) => !r.holder.includes(`/${first.child.pid}/`) && Date.parse(r.started_at) >= killedAt,
        ),
      LEASE_MS + INTERVAL_MS + 5_000,
      100,
    );
    expect(Date.parse(resumed.started_at) - killedAt).toBeLessThanOrEqual(LEASE_MS + INTERVAL_MS + 1_000);
  });

  it('SIGSTOP of the leader between deciding a prune and writing it: refused after SIGCONT, nothing pruned', async () => {
    await startRegistry(); // three again
    const old = await waitFor('a leader', leader);
    const target = ports[0];
    const before = old.child.output.length;
    failing.add(target);
    await waitFor(
      'the leader holding a round that saw the failure',
      () => old.child.output.slice(before).includes('drill: holding'),
      10_000,
      20,
    );
    old.child.signal('SIGSTOP');
    failing.delete(target); // it recovers while the old leader sleeps
    const others = live().filter((r) => r !== old);
    await waitFor(
      'another registry leading',
      async () => {
        const now = await leadership(others[0]);
        return !now.holder?.includes(`/${old.child.pid}/`) && now.epoch > 0;
      },
      LEASE_MS * 3,
      100,
    );
    old.child.signal('SIGCONT');
    await waitFor(
      'the old leader stepping down',
      async () => !(await leadership(old)).this_registry,
      5_000,
      100,
    );
    await sleep(500); // its held round has ended by now
    expect(await metric(old, 'chirp_registry_fenced_writes_total')).toBeGreaterThanOrEqual(1);
    expect(await likes(others[0])).toContainEqual(expect.objectContaining({ id: `127.0.0.1:${target}` }));
    expect((await haproxy.servers('likes')).get(`127.0.0.1:${target}`)).toBe('UP');
    expect(old.child.output).not.toContain(`pruned likes ${url(target)}`);
  });

  it('a registry whose clock is 30 s ahead takes no lease from a live leader, and nothing flaps', async () => {
    const { holder, epoch } = await leadership(live()[0]);
    // libfaketime preloaded into the registry itself: Debian's `faketime` wrapper forks, and a signal
    // to it would leave the registry running.
    const skewed = await startRegistry({ LD_PRELOAD: libfaketime(), FAKETIME: '+30s' });
    expect(await skewedClock(skewed)).toBeGreaterThan(25_000);
    const since = Date.now();
    // Over three leases, sampled every half second: every instance stays passing.
    for (let waited = 0; waited < LEASE_MS * 3; waited += 500) {
      expect((await likes(skewed)).filter((i) => i.status !== 'passing')).toEqual([]);
      await sleep(500);
    }
    expect(await leadership(skewed)).toEqual({ holder, epoch, this_registry: false });
    expect(skewed.child.output).not.toContain('leads the health checks');
    const later = (await rounds(skewed)).filter((r) => Date.parse(r.started_at) >= since);
    expect(later.length).toBeGreaterThan(0);
    expect(later.filter((r) => r.holder !== holder || r.epoch !== epoch)).toEqual([]);
    await skewed.stop();
  });

  it('a 20 s store blink: 503 naming dynamodb, HAProxy left as it is, nothing pruned, work resumes', async () => {
    const via = live()[0];
    const routed = await haproxy.servers('likes');
    dynamodb.signal('SIGSTOP');
    const stoppedAt = Date.now();
    await waitFor(
      'reads answering 503',
      async () => {
        const answer = await request(via.url, '/services/likes/instances');
        return answer.status === 503 && /dynamodb unavailable/.test(String(answer.body.message));
      },
      10_000,
      200,
    );
    await sleep(Math.max(0, 20_000 - (Date.now() - stoppedAt)));
    expect(await haproxy.servers('likes')).toEqual(routed);
    dynamodb.signal('SIGCONT');
    const resumedAt = Date.now();
    await waitFor(
      'reads answering again',
      async () => (await request(via.url, '/services/likes/instances')).status === 200,
      10_000,
      100,
    );
    await waitFor(
      'a round after the blink',
      async () =>
        (await rounds(via)).some((r) => Date.parse(r.started_at) >= resumedAt && r.finished_at !== null),
      LEASE_MS + INTERVAL_MS * 3,
      200,
    );
    const after = await likes(via);
    expect(after).toHaveLength(INSTANCES);
    expect(after.filter((i) => i.status !== 'passing')).toEqual([]);
    expect(await haproxy.servers('likes')).toEqual(routed);
  });
});
