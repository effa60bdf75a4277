// Likes benchmark (not a test): one Nest likes instance against the fair bare baseline
// (bench/baseline-likes.mjs: node:http + ioredis + better-sqlite3 doing the same work: same Lua
// script, same zod rules, same posts cache, same JSON), both directly on their own ports, same Redis,
// same posts.db, same wrk settings; runs alternate within a round. The same app with METRICS_ENABLED=false
// runs beside them, so the cost of /metrics's request timing is measured too (target <= 3%).
// HAProxy's paths are measured by bench/formation.bench.mjs.
//
//   npm run build && node bench/likes.bench.mjs [--duration 5] [--warmup 2] [--connections 32] [--rounds 3]
import { mkdtempSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  cpuSeconds,
  freePort,
  listening,
  start,
  startLikesApp,
  startLikesStores,
  stopAll,
  waitFor,
} from './processes.mjs';
import { generatorFlag, likesLoadOptions, wrk } from './wrk.mjs';

const opts = likesLoadOptions();
const POSTS = Number(opts.posts);
const loadStart = os.loadavg()[0].toFixed(2);

// Redis, posts.db, the app and the baseline.
const dir = mkdtempSync(join(tmpdir(), 'chirp-bench-'));
const common = await startLikesStores(dir, POSTS);
const startNest = (name, env = {}) => startLikesApp(name, { ...common, ...env });
const basePort = await freePort();
const baseline = start('baseline', process.execPath, ['bench/baseline-likes.mjs'], {
  ...common,
  PORT: String(basePort),
});
await waitFor('baseline', () => listening(basePort));

const servers = {
  nest: await startNest('likes'),
  'nest, metrics off': await startNest('likes-no-metrics', { METRICS_ENABLED: 'false' }),
  baseline: { port: basePort, pid: baseline.pid },
};
const operations = {
  like: (port, run) => [
    `http://127.0.0.1:${port}`,
    { script: 'bench/wrk/like.lua', env: { POSTS: String(POSTS), USER_PREFIX: `r${run}x` } },
  ],
  // Asked past HAProxy's cache elsewhere; here there is none, the header changes nothing.
  top: (port) => [`http://127.0.0.1:${port}/top/likes`, { headers: ['cache-control: no-cache'] }],
};

let runs = 0;
async function measure(operation, who) {
  const { port, pid } = servers[who];
  const settings = { connections: Number(opts.connections) };
  const [url, options] = operations[operation](port, runs++);
  await wrk(url, { ...options, ...settings, duration: Number(opts.warmup) });
  const cpuBefore = cpuSeconds(pid);
  const [, measured] = operations[operation](port, runs++);
  const run = await wrk(url, { ...measured, ...settings, duration: Number(opts.duration) });
  return { ...run, serverCpu: ((cpuSeconds(pid) - cpuBefore) / run.requests) * 1e6 };
}

// Both servers warm (JIT, connections, the posts cache) before anything is measured.
for (const who of Object.keys(servers)) {
  for (const operation of ['like', 'top']) {
    const [url, options] = operations[operation](servers[who].port, runs++);
    await wrk(url, { ...options, connections: Number(opts.connections), duration: 3 * Number(opts.warmup) });
  }
}

console.log(`## Likes: one instance against the bare baseline, directly

wrk, 1 thread, ${opts.connections} keep-alive connections, ${opts.warmup} s warm-up + ${opts.duration} s per run, ${opts.rounds} rounds
alternating; ${POSTS} posts; each like a new random user on a random post; top is \`GET /top/likes\`.

| round | operation | server | req/s | p50 ms | p99 ms | server CPU µs/req | wrk CPU | failed |
|---|---|---|---:|---:|---:|---:|---:|---:|`);
const who = Object.keys(servers);
const results = Object.fromEntries(
  ['like', 'top'].map((operation) => [operation, Object.fromEntries(who.map((w) => [w, []]))]),
);
for (let round = 0; round < Number(opts.rounds); round++) {
  const order = round % 2 === 0 ? who : [...who].reverse();
  for (const operation of ['like', 'top']) {
    for (const who of order) {
      const r = await measure(operation, who);
      results[operation][who].push(r);
      console.log(
        `| ${round + 1} | ${operation} | ${who} | ${r.rps.toFixed(0)} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ` +
          `${r.serverCpu.toFixed(0)} | ${Math.round(r.generatorCpu * 100)}%${generatorFlag(r)} | ${r.failed} |`,
      );
    }
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
/** A summary table of server `a` against server `b`: medians, the median per-round ratio and its target. */
function compare(a, b, target, heading) {
  console.log(`
${heading}| operation | ${a} req/s | ${b} req/s | ${a}/${b}* | target | CPU per request, ${b}/${a}* |
|---|---:|---:|---:|---:|---:|`);
  for (const operation of ['like', 'top']) {
    const { [a]: x, [b]: y } = results[operation];
    const ratio = median(x.map((r, i) => r.rps / y[i].rps));
    const cpu = median(x.map((r, i) => y[i].serverCpu / r.serverCpu));
    console.log(
      `| ${operation} | ${median(x.map((r) => r.rps)).toFixed(0)} | ${median(y.map((r) => r.rps)).toFixed(0)} | ` +
        `${ratio.toFixed(3)}x | ≥ ${target}x ${ratio >= target ? 'met' : 'NOT met'} | ${cpu.toFixed(3)}x |`,
    );
  }
}
compare('nest', 'baseline', 0.85, '');
compare(
  'nest',
  'nest, metrics off',
  0.97,
  'The cost of metrics (request count, duration histogram, in-flight gauge, process collectors):\n\n',
);
console.log(`
\\* median of the per-round ratios (runs of a round are back to back). Load average ${loadStart} at start,
${os.loadavg()[0].toFixed(2)} at end, ${os.cpus().length} CPUs; Node ${process.version}.`);
stopAll();
process.exit(0);
