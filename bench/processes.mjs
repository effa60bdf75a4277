// What the benchmarks share to run a stack of their own: free ports, child processes killed when the
// benchmark exits, their CPU time, waiting for a condition, HAProxy (started, and its Runtime API)
// and the likes app's stores.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** Every process started with {@link start}; SIGKILLed when this one exits. */
export const children = [];
process.on('exit', () => children.forEach((c) => c.kill('SIGKILL')));
let stopping = false;

/** From now on a child's exit is expected, not reported. */
export const stopAll = () => (stopping = true);

/** A port free on loopback right now. */
export const freePort = () =>
  new Promise((resolve, reject) => {
    const server = createServer().on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

/** Whether something accepts connections on the loopback `port`. */
export const listening = (port) =>
  new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port }, () => (socket.destroy(), resolve(true)));
    socket.on('error', () => resolve(false));
  });

/** Resolves once `check()` is truthy (a throw counts as false); rejects after `timeoutMs`. */
export async function waitFor(what, check, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/**
 * Starts `command`; its stderr's tail is printed if it exits before {@link stopAll}. `label` (the
 * name's first word) groups processes in CPU accounting.
 */
export function start(name, command, args, env = {}) {
  const child = spawn(command, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let errors = '';
  child.stderr.on('data', (d) => (errors = (errors + d).slice(-4000)));
  child.on(
    'exit',
    (code, signal) => !stopping && console.error(`${name} exited (${code ?? signal}):\n${errors}`),
  );
  child.label = name.split(' ')[0];
  children.push(child);
  return child;
}

/** One command on HAProxy's Runtime API at the loopback `port`; its answer, trimmed. */
export const runtimeCommand = (port, command) =>
  new Promise((resolve, reject) => {
    let answer = '';
    const socket = connect({ host: '127.0.0.1', port }, () => socket.end(`${command}\n`));
    socket.on('data', (chunk) => (answer += chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(answer.trim()));
  });

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

/** HAProxy on `config` (haproxy.cfg by default) on fresh loopback ports; returns them once it listens. */
export async function startHaproxy(name = 'haproxy', config = 'haproxy.cfg') {
  const [likes, polls, registry, stats, runtime] = await Promise.all([1, 2, 3, 4, 5].map(() => freePort()));
  const at = (port) => `127.0.0.1:${port}`;
  start(name, 'haproxy', ['-db', '-f', config], {
    HAPROXY_LIKES_ADDR: at(likes),
    HAPROXY_POLLS_ADDR: at(polls),
    HAPROXY_REGISTRY_ADDR: at(registry),
    HAPROXY_STATS_ADDR: at(stats),
    HAPROXY_RUNTIME_ADDR: at(runtime),
    HAPROXY_SLOTS: '16',
    CACHE_MAX_AGE: '5',
  });
  await waitFor(name, () => listening(runtime));
  return { likes, polls, registry, stats, runtime };
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
