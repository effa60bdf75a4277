// Likes benchmark (not a test): the Nest likes app vs a bare node:http + ioredis baseline
// (bench/baseline-likes.mjs, same Lua script), one instance each, same Redis, same posts.db, both
// behind the same HAProxy (the project's haproxy.cfg; its likes backend is pointed at one, then the
// other) — or both direct with --direct. Same autocannon settings for every run; runs alternate.
//
//   npm run build && node bench/likes.bench.mjs [--direct] [--duration 10] [--connections 50] [--rounds 2]
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import { cpuSeconds, freePort, listening, runtimeCommand, start, stopAll, waitFor } from './processes.mjs';

const { values: opts } = parseArgs({
  options: {
    direct: { type: 'boolean', default: false },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    connections: { type: 'string', default: '50' },
    rounds: { type: 'string', default: '2' },
    posts: { type: 'string', default: '10000' },
  },
});
const settings = {
  duration: Number(opts.duration),
  connections: Number(opts.connections),
  pipelining: 1,
  rounds: Number(opts.rounds),
};
const POSTS = Number(opts.posts);
const loadStart = os.loadavg()[0].toFixed(2);

const ok = async (url) => (await fetch(url)).ok;

// Stores and servers.
const dir = mkdtempSync(join(tmpdir(), 'chirp-bench-'));
const redisPort = await freePort();
start('redis', 'redis-server', [
  ...['--port', String(redisPort), '--bind', '127.0.0.1', '--dir', dir],
  ...['--appendonly', 'yes', '--appendfsync', 'everysec', '--save', ''],
]);
await waitFor('redis', () => listening(redisPort));
const postsDb = join(dir, 'posts.db');
const common = { REDIS_URL: `redis://127.0.0.1:${redisPort}`, POSTS_DB_PATH: postsDb };
execFileSync(process.execPath, ['dist/apps/likes/main.js', '--init'], {
  env: { ...process.env, ...common, POSTS_SEED_COUNT: String(POSTS) },
});

const nestPort = await freePort();
const nest = start('likes', process.execPath, ['dist/apps/likes/main.js'], {
  ...common,
  PORT: String(nestPort),
  LOG_LEVEL: 'error',
  NODE_ENV: 'production',
  REGISTRY_URL: 'http://127.0.0.1:9', // no registry: HAProxy is driven by hand below
});
const basePort = await freePort();
const baseline = start('baseline', process.execPath, ['bench/baseline-likes.mjs'], {
  ...common,
  PORT: String(basePort),
});
await waitFor('likes', () => ok(`http://127.0.0.1:${nestPort}/health-check`));
await waitFor('baseline', () => listening(basePort));

let target = (port) => `http://127.0.0.1:${port}`;
let haproxy;
if (!opts.direct) {
  const [front, stats, registry, polls, rt] = await Promise.all([1, 2, 3, 4, 5].map(() => freePort()));
  const at = (p) => `127.0.0.1:${p}`;
  start('haproxy', 'haproxy', ['-db', '-f', 'haproxy.cfg'], {
    HAPROXY_LIKES_ADDR: at(front),
    HAPROXY_POLLS_ADDR: at(polls),
    HAPROXY_REGISTRY_ADDR: at(registry),
    HAPROXY_STATS_ADDR: at(stats),
    HAPROXY_RUNTIME_ADDR: at(rt),
    CACHE_MAX_AGE: process.env.CACHE_MAX_AGE ?? '5',
  });
  await waitFor('haproxy', () => listening(rt));
  await runtimeCommand(rt, `add server likes/bench 127.0.0.1:${nestPort}`);
  await runtimeCommand(rt, 'enable server likes/bench');
  haproxy = { rt, front };
  // The one server of the likes backend is re-pointed at whichever server is measured.
  target = async (port) => {
    await runtimeCommand(rt, `set server likes/bench addr 127.0.0.1 port ${port}`);
    await sleep(200);
    return `http://127.0.0.1:${front}`;
  };
}

let users = 0;
function scenario(name, base) {
  if (name === 'like') {
    const prefix = `b${users++}x`;
    let n = 0;
    return {
      url: base,
      requests: [
        {
          method: 'POST',
          setupRequest: (req) => {
            n++;
            return { ...req, path: `/new/likes?username=${prefix}${n}&posts_id=${(n % POSTS) + 1}` };
          },
        },
      ],
    };
  }
  // HAProxy may cache top likes for a few seconds; this measures the servers, so it asks past the cache.
  return { url: `${base}/top/likes`, headers: { 'cache-control': 'no-cache' } };
}

const cpuMicros = (pid) => cpuSeconds(pid) * 1e6;

async function measure(name, who, port) {
  const pid = (who === 'nest' ? nest : baseline).pid;
  const base = await target(port);
  await autocannon({
    ...scenario(name, base),
    connections: settings.connections,
    duration: Number(opts.warmup),
  });
  const cpuBefore = cpuMicros(pid);
  const r = await autocannon({
    ...scenario(name, base),
    connections: settings.connections,
    duration: settings.duration,
  });
  const cpu = (cpuMicros(pid) - cpuBefore) / r.requests.total;
  const bad = r.non2xx + r.errors + r.timeouts;
  if (bad) console.error(`  ${who} ${name}: ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts`);
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, cpu, bad };
}

const results = { like: { nest: [], baseline: [] }, top10: { nest: [], baseline: [] } };
console.log(
  `likes bench: ${opts.direct ? 'direct to each server' : 'through HAProxy (haproxy.cfg), one server in the likes backend'}; ` +
    `autocannon ${settings.connections} connections, pipelining 1, ${opts.warmup}s warm-up + ${settings.duration}s per run, ` +
    `${settings.rounds} round(s) alternating; ${POSTS} posts; Node ${process.version}`,
);
for (let round = 0; round < settings.rounds; round++) {
  const order = round % 2 === 0 ? ['nest', 'baseline'] : ['baseline', 'nest'];
  for (const name of ['like', 'top10']) {
    for (const who of order) {
      const result = await measure(
        name === 'top10' ? 'top' : 'like',
        who,
        who === 'nest' ? nestPort : basePort,
      );
      results[name][who].push(result);
      console.log(
        `  round ${round + 1} ${name.padEnd(5)} ${who.padEnd(8)} ${result.rps.toFixed(0).padStart(7)} req/s  p50 ${result.p50} ms  p99 ${result.p99} ms  ${result.cpu.toFixed(0)} µs CPU/req`,
      );
    }
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
// Runs of one round are back to back, so the per-round ratio is the least disturbed by a busy machine.
console.log(
  '\nmedians over rounds   nest req/s  baseline req/s  ratio*  nest p99  baseline p99  p99 ratio*  CPU ratio*',
);
for (const name of ['like', 'top10']) {
  const n = results[name].nest;
  const b = results[name].baseline;
  const rps = median(n.map((x, i) => x.rps / b[i].rps));
  const p99 = median(n.map((x, i) => b[i].p99 / x.p99));
  const cpu = median(n.map((x, i) => b[i].cpu / x.cpu));
  console.log(
    `${name.padEnd(20)} ${median(n.map((x) => x.rps))
      .toFixed(0)
      .padStart(11)} ${median(b.map((x) => x.rps))
      .toFixed(0)
      .padStart(15)} ` +
      `${rps.toFixed(2).padStart(6)}x ${String(median(n.map((x) => x.p99))).padStart(7)} ms ${String(median(b.map((x) => x.p99))).padStart(10)} ms ${p99.toFixed(2).padStart(9)}x ${cpu.toFixed(2).padStart(9)}x`,
  );
}
console.log(
  `* median of per-round ratios (throughput nest/baseline; p99 and server CPU per request baseline/nest, so >1 means nest is better). ` +
    `Load average ${loadStart} at start, ${os.loadavg()[0].toFixed(2)} at end (${os.cpus().length} CPUs).`,
);
stopAll();
void haproxy;
process.exit(0);
