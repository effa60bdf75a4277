import {
  registryDbPath,
  request,
  startRedis,
  type StoreProcess,
  TestApp,
  TestHaproxy,
  waitFor,
} from '../support';
import { initPostsDb, redisClient, startLikes } from '../likes/likes-support';

const INTERVAL_MS = 2000;
const RECHECK_MS = 500;
// A probe answers in milliseconds; 1 s keeps a busy CI machine from failing a live instance.
const TIMEOUT_MS = 1000;
/** Longer than the Redis pause below, short enough to wait for. */
const DEREGISTER_CRITICAL_AFTER_MS = 12_000;
const PAUSE_MS = 4 * INTERVAL_MS;

jest.setTimeout(120_000);

interface InstanceView {
  id: string;
  service_name: string;
  status: 'passing' | 'critical';
  consecutive_failures: number;
  consecutive_successes: number;
  critical_since: string | null;
}
interface RoundView {
  seq: number;
  finished_at: string | null;
  pruned: number;
  withheld: number;
  withheld_reason: string | null;
}

describe('health states: critical instances, mass-failure protection, fast recheck (real Redis and HAProxy)', () => {
  let haproxy: TestHaproxy;
  let registry: TestApp;
  let redis: StoreProcess;
  let postsDb: string;
  let likes: TestApp[] = [];

  const addLikes = async () => {
    const app = await startLikes(redis, postsDb, {
      REGISTRY_URL: registry.url,
      REGISTRY_HEARTBEAT_MS: '1000',
    });
    likes.push(app);
    return app;
  };
  const stopLikes = async (app: TestApp, signal: NodeJS.Signals) => {
    await app.stop(signal);
    likes = likes.filter((a) => a !== app);
  };
  /** Every likes record the registry holds (`GET /services` lists critical ones too). */
  const records = async () =>
    (await request<{ services: InstanceView[] }>(registry.url, '/services')).body.services.filter(
      (i) => i.service_name === 'likes',
    );
  const healthy = async () =>
    (await request<{ instances: InstanceView[] }>(registry.url, '/services/likes/instances')).body.instances;
  const rounds = async () =>
    (await request<{ rounds: RoundView[] }>(registry.url, '/rounds?limit=1000')).body.rounds;
  const lastRound = async () => (await rounds())[0]?.seq ?? 0;
  /** The newest round that has finished: one still running may yet probe what happens next. */
  const lastFinishedRound = async () => (await rounds()).find((r) => r.finished_at !== null)?.seq ?? 0;
  const upInHaproxy = async () =>
    [...(await haproxy.servers('likes')).values()].filter((s) => s === 'UP').length;
  const front = () =>
    request(`http://127.0.0.1:${haproxy.likes}`, '/likes/top', { headers: { 'cache-control': 'no-cache' } });
  const statuses = async () => (await records()).map((i) => i.status).sort();
  const ids = (instances: TestApp[]) => instances.map((app) => `127.0.0.1:${app.port}`).sort();
  /** Waits for `count` registered and UP in HAProxy. */
  const settled = async (count: number) => {
    await waitFor(
      `${count} likes passing`,
      async () => (await healthy()).length === count && (await records()).length === count,
      30_000,
    );
    await waitFor(`${count} likes UP in HAProxy`, async () => (await upInHaproxy()) === count, 30_000);
  };

  beforeAll(async () => {
    haproxy = await TestHaproxy.start();
    redis = await startRedis();
    postsDb = initPostsDb(redis);
    registry = await TestApp.start('registry', {
      REGISTRY_DB_PATH: registryDbPath('health-states'),
      HAPROXY_RUNTIME_ADDR: haproxy.runtimeAddr,
      HEALTH_CHECK_INTERVAL_MS: String(INTERVAL_MS),
      HEALTH_CHECK_TIMEOUT_MS: String(TIMEOUT_MS),
      HEALTH_RECHECK_CRITICAL_MS: String(RECHECK_MS),
      HEALTH_DEREGISTER_CRITICAL_AFTER_MS: String(DEREGISTER_CRITICAL_AFTER_MS),
    });
    for (let i = 0; i < 3; i++) await addLikes();
    await settled(3);
  });
  afterAll(async () => {
    await Promise.all(likes.map((app) => app.stop()));
    await registry?.stop();
    await redis?.stop();
    await haproxy?.stop();
  });

  it('keeps every likes instance, critical, through a Redis pause of several rounds, and serves within 2 s after', async () => {
    const client = redisClient(redis);
    // Pause just after a round has finished, so the rounds that follow each see the whole service
    // failing. A pause that begins while a round's probes are in flight can fail one instance alone
    // in that round, which the seed's rule prunes (it re-registers within seconds; see the README).
    const previous = await lastRound();
    await waitFor(
      'a round to finish',
      async () => (await rounds()).some((r) => r.seq > previous && r.finished_at !== null),
      3 * INTERVAL_MS,
      20,
    );
    const before = await lastRound();
    const pausedAt = Date.now();
    await client.call('CLIENT', 'PAUSE', String(PAUSE_MS), 'ALL');
    client.disconnect();
    const pauseEnds = pausedAt + PAUSE_MS;

    await waitFor(
      'all three likes critical',
      async () => (await statuses()).join() === 'critical,critical,critical',
      PAUSE_MS,
    );
    expect(await healthy()).toEqual([]);
    expect(await front()).toMatchObject({ status: 503, body: { error: 'Service Unavailable' } });
    const critical = await records();
    expect(critical).toHaveLength(3);
    for (const record of critical) {
      expect(record).toMatchObject({ consecutive_successes: 0 });
      expect(record.consecutive_failures).toBeGreaterThanOrEqual(1);
      expect(Date.parse(record.critical_since!)).toBeGreaterThanOrEqual(pausedAt - 1000);
    }

    await waitFor('the pause to end', () => Date.now() >= pauseEnds, PAUSE_MS);
    // HAProxy's own check puts the kept slots back in traffic.
    await waitFor(
      'the front door serving',
      async () => (await front()).status === 200,
      pauseEnds + 2000 - Date.now(),
      20,
    );
    // The registry follows at its next recheck, not a round later.
    await waitFor(
      'all three passing',
      async () => (await healthy()).length === 3,
      RECHECK_MS + TIMEOUT_MS + 500,
      20,
    );

    const during = (await rounds()).filter((r) => r.seq > before && r.withheld > 0);
    expect(during.length).toBeGreaterThanOrEqual(2);
    expect(during[0].withheld_reason).toBe('mass failure: 3 of 3 likes instances failed their check');
    expect((await rounds()).filter((r) => r.seq > before && r.pruned > 0)).toEqual([]);
    expect((await records()).map((i) => i.id).sort()).toEqual(ids(likes));
    // Each kept slot is back at its first passing HAProxy check (every second).
    await waitFor('all three UP in HAProxy', async () => (await upInHaproxy()) === 3, 3000);
  });

  it('prunes one SIGKILLed instance of three at the next round, as before', async () => {
    const [victim] = likes;
    const before = await lastFinishedRound();
    await stopLikes(victim, 'SIGKILL');
    await waitFor(
      'the killed instance pruned',
      async () => (await records()).length === 2,
      2 * INTERVAL_MS + 2000,
    );
    expect((await records()).map((i) => i.id).sort()).toEqual(ids(likes));
    // A round records its tally when it finishes, after reconciling HAProxy: a moment after the prune.
    await waitFor(
      'a round after the kill recording one prune, none withheld',
      async () =>
        (await rounds()).some(
          (r) => r.seq > before && r.finished_at !== null && r.pruned === 1 && r.withheld === 0,
        ),
      INTERVAL_MS,
      20,
    );
    await addLikes();
    await settled(3);
  });

  it('never locks up: scaled from 4 to 1 and back, a failing instance is pruned at the next round', async () => {
    await addLikes();
    await settled(4);
    for (const app of likes.slice(1)) await stopLikes(app, 'SIGTERM');
    await settled(1);
    // The last one alone: no protection, whatever the service was before.
    await stopLikes(likes[0], 'SIGKILL');
    await waitFor(
      'the lone instance pruned',
      async () => (await records()).length === 0,
      2 * INTERVAL_MS + 2000,
    );

    for (let i = 0; i < 4; i++) await addLikes();
    await settled(4);
    await stopLikes(likes[0], 'SIGKILL');
    await waitFor('one of four pruned', async () => (await records()).length === 3, 2 * INTERVAL_MS + 2000);
    expect(await statuses()).toEqual(['passing', 'passing', 'passing']);
  });

  it('prunes all three SIGKILLed instances once they have been critical for the deregister time', async () => {
    const killedAt = Date.now();
    for (const app of [...likes]) await stopLikes(app, 'SIGKILL');
    await waitFor(
      'all three critical',
      async () => (await statuses()).join() === 'critical,critical,critical',
      2 * INTERVAL_MS + 2000,
    );
    await waitFor(
      'a round recording the three prunes withheld', // at its end, a moment after the statuses
      async () => (await rounds()).some((r) => r.withheld === 3 && r.pruned === 0),
      INTERVAL_MS,
      20,
    );
    await waitFor(
      'all three pruned',
      async () => (await records()).length === 0,
      DEREGISTER_CRITICAL_AFTER_MS + 3 * INTERVAL_MS + 5000,
    );
    expect(Date.now() - killedAt).toBeGreaterThanOrEqual(DEREGISTER_CRITICAL_AFTER_MS);
  });
});
