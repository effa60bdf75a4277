// What the benchmarks add to the process helpers they share with the tests (test/support): children
// whose unexpected exit is reported, their CPU time, HAProxy (started on fresh ports) and the likes
// app's stores.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Child, freePort, listening, waitFor as waitUntil } from '../test/support/processes.js';

export { freePort, listening };

/** The shared waitFor with a benchmark's patience: servers start slowly on a loaded machine. */
export const waitFor = (what, check, timeoutMs = 60_000) => waitUntil(what, check, timeoutMs, 100);
export { runtimeCommand, serverStats } from '../test/support/runtime-api.js';

/** Every process started with {@link start}. */
export const children = [];
let stopping = false;

/** From now on a child's exit is expected, not reported. */
export const stopAll = () => (stopping = true);

/**
 * Starts `command` as a {@link Child} (killed when the benchmark exits); the tail of its output is
 * printed if it exits before {@link stopAll}. The name's first word groups processes in CPU accounting.
 */
export function start(name, command, args, env = {}) {
  const child = new Child(name, command, args, env).start();
  child.label = name.split(' ')[0];
  void child
    .exited()
    .then(
      () => !stopping && !child.retired && console.error(`${name} exited:\n${child.output.slice(-4000)}`),
    );
  children.push(child);
  return child;
}

/** Stops one child started with {@link start} (SIGKILL: a benchmark's server has nothing to save). */
export function retire(child) {
  child.retired = true;
  return child.stop('SIGKILL');
}

/**
 * CPU seconds (user + system, Linux /proc) used so far by `pid` and its descendants; NaN once it has
 * exited. Per request it does not depend on how busy the rest of the machine is, unlike req/s.
 */
export function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    const own = (Number(fields[11]) + Number(fields[12])) / 100; // clock ticks (USER_HZ)
    return descendants(pid).reduce((sum, child) => sum + (cpuSeconds(child) || 0), own);
  } catch {
    return NaN;
  }
}

function descendants(pid) {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
  } catch {
    return [];
  }
}

/**
 * Redis (append-only, as the Procfile runs it) with its files in `dir`, and posts.db there seeded
 * with `posts` posts by the likes app's `--init`; returns the environment a likes process needs.
 */
export async function startLikesStores(dir, posts) {
  const port = await freePort();
  start('redis', 'redis-server', [
    ...['--port', String(port), '--bind', '127.0.0.1', '--dir', dir],
    ...['--appendonly', 'yes', '--appendfsync', 'everysec', '--save', ''],
  ]);
  await waitFor('redis', () => listening(port));
  const env = { REDIS_URL: `redis://127.0.0.1:${port}`, POSTS_DB_PATH: join(dir, 'posts.db') };
  execFileSync(process.execPath, ['dist/apps/likes/main.js', '--init'], {
    env: { ...process.env, ...env, POSTS_SEED_COUNT: String(posts) },
  });
  return env;
}

/**
 * One likes instance (the built app) on `env`'s stores, measured alone (no registry): its port, pid
 * and Child once it answers /health-check.
 */
export async function startLikesApp(name, env) {
  const port = await freePort();
  const child = start(name, process.execPath, ['dist/apps/likes/main.js'], {
    ...env,
    PORT: String(port),
    LOG_LEVEL: 'error',
    NODE_ENV: 'production',
    REGISTRY_URL: 'http://127.0.0.1:9',
  });
  await waitFor(name, async () => (await fetch(`http://127.0.0.1:${port}/health-check`)).ok);
  return { port, pid: child.pid, child };
}

/**
 * The bare baseline (bench/baseline-likes.mjs) on `env`'s stores: its port, pid and Child once it
 * listens.
 */
export async function startLikesBaseline(env) {
  const port = await freePort();
  const child = start('baseline', process.execPath, ['bench/baseline-likes.mjs'], {
    ...env,
    PORT: String(port),
  });
  await waitFor('baseline', () => listening(port));
  return { port, pid: child.pid, child };
}

/** HAProxy on `config` (haproxy.cfg by default) on fresh loopback ports; returns them once it listens. */
export async function startHaproxy(name = 'haproxy', config = 'haproxy.cfg', slots = 16) {
  const [likes, polls, registry, stats, runtime, metrics] = await Promise.all(
    [1, 2, 3, 4, 5, 6].map(() => freePort()),
  );
  const at = (port) => `127.0.0.1:${port}`;
  start(name, 'haproxy', ['-db', '-f', config], {
    HAPROXY_LIKES_ADDR: at(likes),
    HAPROXY_POLLS_ADDR: at(polls),
    HAPROXY_REGISTRY_ADDR: at(registry),
    HAPROXY_STATS_ADDR: at(stats),
    HAPROXY_RUNTIME_ADDR: at(runtime),
    HAPROXY_METRICS_ADDR: at(metrics),
    HAPROXY_SLOTS: String(slots),
    CACHE_MAX_AGE: '5',
  });
  await waitFor(name, () => listening(runtime));
  return { likes, polls, registry, stats, runtime, metrics };
}

/**
 * A Redis Cluster of `masters` masters with a replica each (as test/support/redis-cluster.ts makes
 * one): redis-server processes with their files under `dir`, joined by `redis-cli --cluster create`.
 * Returns the `REDIS_CLUSTER_NODES` value and the processes.
 */
export async function startRedisCluster(dir, masters = 3) {
  const nodes = [];
  for (let i = 0; i < masters * 2; i++) {
    const [port, bus] = [await freePort(), await freePort()];
    const nodeDir = join(dir, `node-${port}`);
    mkdirSync(nodeDir, { recursive: true });
    const child = start('redis-cluster', 'redis-server', [
      ...['--port', String(port), '--cluster-port', String(bus), '--bind', '127.0.0.1', '--dir', nodeDir],
      ...[
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        'nodes.conf',
        '--cluster-node-timeout',
        '1000',
      ],
      ...['--appendonly', 'yes', '--appendfsync', 'everysec', '--save', ''],
    ]);
    nodes.push({ port, child });
  }
  for (const { port } of nodes) await waitFor(`redis-cluster :${port}`, () => listening(port));
  const addresses = nodes.map(({ port }) => `127.0.0.1:${port}`);
  execFileSync(
    'redis-cli',
    ['--cluster', 'create', ...addresses, '--cluster-replicas', '1', '--cluster-yes'],
    {
      stdio: 'ignore',
    },
  );
  const ok = (port) =>
    execFileSync('redis-cli', ['-p', String(port), 'cluster', 'info'], { encoding: 'utf8' });
  await waitFor('the cluster', async () => nodes.every(({ port }) => ok(port).includes('cluster_state:ok')));
  return { seeds: addresses.join(','), children: nodes.map(({ child }) => child) };
}
