// Likes on a Redis Cluster against likes on one Redis, in the same run (not a test): two likes
// instances, the same code and posts.db, one with REDIS_URL (standalone Redis, append-only as in the
// Procfile) and one with REDIS_CLUSTER_NODES (3 masters + 3 replicas, append-only, on this same
// machine); the same wrk settings, runs alternating within a round. On one machine the cluster cannot
// be faster: it shows what the cluster's extra hops and replication cost, not the capacity of more machines.
//
//   npm run build && bin/node bench/likes-cluster.bench.mjs [--duration 5] [--warmup 2] [--connections 32] [--rounds 3]
import { mkdtempSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  children,
  cpuSeconds,
  startLikesApp,
  startLikesStores,
  startRedisCluster,
  stopAll,
} from './processes.mjs';
import { generatorFlag, likesLoadOptions, wrk } from './wrk.mjs';

const opts = likesLoadOptions();
const POSTS = Number(opts.posts);
const loadStart = os.loadavg()[0].toFixed(2);

const dir = mkdtempSync(join(tmpdir(), 'chirp-bench-cluster-'));
const standaloneEnv = await startLikesStores(dir, POSTS);
const cluster = await startRedisCluster(join(dir, 'cluster'));
const redisPids = {
  standalone: children.filter((c) => c.label === 'redis').map((c) => c.pid),
  cluster: cluster.children.map((c) => c.pid),
};

const startLikes = (name, env) => startLikesApp(name, { POSTS_DB_PATH: standaloneEnv.POSTS_DB_PATH, ...env });
const servers = {
  standalone: await startLikes('likes-standalone', { REDIS_URL: standaloneEnv.REDIS_URL }),
  cluster: await startLikes('likes-cluster', { REDIS_CLUSTER_NODES: cluster.seeds }),
};

const operations = {
  like: (port, run) => [
    `http://127.0.0.1:${port}`,
    { script: 'bench/wrk/like.lua', env: { POSTS: String(POSTS), USER_PREFIX: `r${run}x` } },
  ],
  top: (port) => [`http://127.0.0.1:${port}/top/likes`, { headers: ['cache-control: no-cache'] }],
};

const redisCpu = (who) => redisPids[who].reduce((sum, pid) => sum + cpuSeconds(pid), 0);
let runs = 0;
async function measure(operation, who, duration) {
  const { port, pid } = servers[who];
  const [url, options] = operations[operation](port, runs++);
  const before = { app: cpuSeconds(pid), redis: redisCpu(who) };
  const run = await wrk(url, { ...options, connections: Number(opts.connections), duration });
  const perRequest = (seconds) => (seconds / run.requests) * 1e6;
  return {
    ...run,
    appCpu: perRequest(cpuSeconds(pid) - before.app),
    redisCpu: perRequest(redisCpu(who) - before.redis),
  };
}

// Both warm (JIT, connections, slot maps, the posts cache) before anything is measured.
for (const who of Object.keys(servers)) {
  for (const operation of ['like', 'top']) await measure(operation, who, 3 * Number(opts.warmup));
}

console.log(`## Likes: Redis Cluster against one Redis

wrk, 1 thread, ${opts.connections} keep-alive connections, ${opts.warmup} s warm-up + ${opts.duration} s per run, ${opts.rounds} rounds
alternating; ${POSTS} posts; each like a new random user on a random post; top is \`GET /top/likes\`. One likes
instance each, directly (no HAProxy); the cluster is 3 masters + 3 replicas on this same machine.

| round | operation | store | req/s | p50 ms | p99 ms | app CPU µs/req | Redis CPU µs/req (all nodes) | wrk CPU | failed |
|---|---|---|---:|---:|---:|---:|---:|---:|---:|`);
const results = { like: { standalone: [], cluster: [] }, top: { standalone: [], cluster: [] } };
for (let round = 0; round < Number(opts.rounds); round++) {
  const order = round % 2 === 0 ? ['standalone', 'cluster'] : ['cluster', 'standalone'];
  for (const operation of ['like', 'top']) {
    for (const who of order) {
      await measure(operation, who, Number(opts.warmup));
      const r = await measure(operation, who, Number(opts.duration));
      results[operation][who].push(r);
      console.log(
        `| ${round + 1} | ${operation} | ${who} | ${r.rps.toFixed(0)} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ` +
          `${r.appCpu.toFixed(0)} | ${r.redisCpu.toFixed(0)} | ${Math.round(r.generatorCpu * 100)}%${generatorFlag(r)} | ${r.failed} |`,
      );
    }
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
console.log(`
| operation | standalone req/s | cluster req/s | cluster/standalone* | Redis CPU per request, cluster/standalone* |
|---|---:|---:|---:|---:|`);
for (const operation of ['like', 'top']) {
  const { standalone: s, cluster: c } = results[operation];
  const ratio = median(c.map((x, i) => x.rps / s[i].rps));
  const cpu = median(c.map((x, i) => x.redisCpu / s[i].redisCpu));
  console.log(
    `| ${operation} | ${median(s.map((x) => x.rps)).toFixed(0)} | ${median(c.map((x) => x.rps)).toFixed(0)} | ` +
      `${ratio.toFixed(2)}x | ${cpu.toFixed(2)}x |`,
  );
}
console.log(`
\\* median of the per-round ratios (runs of a round are back to back). Load average ${loadStart} at start,
${os.loadavg()[0].toFixed(2)} at end, ${os.cpus().length} CPUs; Node ${process.version}.`);
stopAll();
process.exit(0);
