// Likes benchmark (not a test): one Nest likes instance against the fair bare baseline
// (bench/baseline-likes.mjs: node:http + ioredis + better-sqlite3 doing the same work: same Lua
// script, same zod rules, same posts cache, same JSON), both directly on their own ports, same Redis,
// same posts.db, same wrk settings; runs alternate within a round. The cost of /metrics's request timing
// (target <= 3%) is measured twice: end to end, against the same app with METRICS_ENABLED=false run
// beside them, and as its share of a CPU profile of the app under the like load. Only the profile can
// see a few percent here: on two shared cores the app's req/s, and even its CPU per request, move by
// 10-20% from one second to the next on their own; hence many short rounds, each ratio taken between
// runs seconds apart, and their median.
// HAProxy's paths are measured by bench/formation.bench.mjs.
//
//   npm run build && bin/node bench/likes.bench.mjs [--duration 2] [--warmup 1] [--connections 32] [--rounds 10]
// (--warmup N: before each run, and 3N s per server and operation once before the rounds)
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
import { shareOf, startProfiler, stopProfiler } from './cpu-profile.mjs';
import { generatorFlag, likesLoadOptions, wrk } from './wrk.mjs';

// Many short runs: on this machine a server's req/s moves by 10-20% from one second to the next on its
// own, so two runs are compared only when they are seconds apart, and over many rounds. Each run has a
// warm-up of its own all the same: a server's first second of load after a few idle ones is up to a
// third slower (the Nest app's more than the baseline's), which a 2 s run without one would half measure.
const opts = likesLoadOptions({
  duration: { type: 'string', default: '2' },
  warmup: { type: 'string', default: '1' },
  rounds: { type: 'string', default: '10' },
});
const POSTS = Number(opts.posts);
const loadStart = os.loadavg()[0].toFixed(2);

// Redis, posts.db, the app and the baseline.
const dir = mkdtempSync(join(tmpdir(), 'chirp-bench-'));
const common = await startLikesStores(dir, POSTS);
// Both Nest apps carry the profiler (idle until asked), so they differ only in METRICS_ENABLED.
const profileOf = (name) => join(dir, `${name}.cpuprofile`);
const startNest = (name, env = {}) =>
  startLikesApp(name, {
    ...common,
    NODE_OPTIONS: `--require ${join(process.cwd(), 'bench/cpu-profiler.js')}`,
    CPU_PROFILE_FILE: profileOf(name),
    ...env,
  });
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

wrk, 1 thread, ${opts.connections} keep-alive connections, ${3 * Number(opts.warmup)} s warm-up per server and operation first, then ${opts.warmup} s warm-up + ${opts.duration} s per run, ${opts.rounds} rounds
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

const median = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  return Number.isInteger(mid) ? (sorted[mid - 1] + sorted[mid]) / 2 : sorted[Math.floor(mid)];
};
const spread = (xs) => `${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)}`;
/**
 * A summary table of server `a` against server `b`: medians, the median per-round ratios (req/s, and CPU
 * per request as b/a so that higher is better for `a` in both) and their spreads; `target`, if any,
 * applies to the req/s ratio.
 */
function compare(a, b, target, heading) {
  console.log(`
${heading}| operation | ${a} req/s | ${b} req/s | req/s, ${a}/${b}* (spread) | CPU per request, ${b}/${a}* (spread) | target |
|---|---:|---:|---:|---:|---:|`);
  for (const operation of ['like', 'top']) {
    const { [a]: x, [b]: y } = results[operation];
    const rps = x.map((r, i) => r.rps / y[i].rps);
    const cpu = x.map((r, i) => y[i].serverCpu / r.serverCpu);
    console.log(
      `| ${operation} | ${median(x.map((r) => r.rps)).toFixed(0)} | ${median(y.map((r) => r.rps)).toFixed(0)} | ` +
        `${median(rps).toFixed(3)}x (${spread(rps)}) | ${median(cpu).toFixed(3)}x (${spread(cpu)}) | ` +
        `${target ? `≥ ${target}x ${median(rps) >= target ? 'met' : 'NOT met'}` : 'see below'} |`,
    );
  }
}
compare('nest', 'baseline', 0.9, '');
compare(
  'nest',
  'nest, metrics off',
  undefined,
  'The cost of metrics (request count, duration histogram, in-flight gauge, process collectors), end to\n' +
    'end; the spreads are wider than the target, so the profile below judges it:\n\n',
);
// The metrics' own share of the app's CPU under the like load, from V8's sampling profiler: the
// comparison above cannot resolve a few percent on a shared 2-core machine, a profile of one run can.
const PROFILED_SECONDS = 5; // enough samples for a share of a few percent, whatever --duration says
const profileFile = profileOf('likes');
startProfiler(servers.nest.pid, profileFile);
const [likeUrl, likeOptions] = operations.like(servers.nest.port, runs++);
await wrk(likeUrl, {
  ...likeOptions,
  connections: Number(opts.connections),
  duration: PROFILED_SECONDS,
});
await stopProfiler(servers.nest.pid, profileFile);
const metricsCode = shareOf(
  profileFile,
  (name, url) => /^metrics(OnRequest|OnResponse|RequestClosed)$/.test(name) || url.includes('/prom-client/'),
  (name, url) => name === 'next' && url.endsWith('fastify/lib/hooks.js'), // a hook's done()
);
// Fastify runs its hook runner only for hooks: these and the body parsers' preValidation hook.
const hookRunner = shareOf(
  profileFile,
  (name, url, innermost) => innermost && url.endsWith('fastify/lib/hooks.js'),
  () => true,
);
const byFunction = Object.entries(metricsCode.byFunction)
  .sort(([, a], [, b]) => b - a)
  .map(([name, n]) => `${name} ${((100 * n) / metricsCode.samples).toFixed(2)}%`)
  .join(', ');
console.log(
  `
Profiled (one more ${PROFILED_SECONDS} s like run of \`nest\`, V8's sampler every 200 µs, ${metricsCode.samples} busy samples):
the metrics code's share of the app's CPU is **${(100 * metricsCode.share).toFixed(2)}%**, target ≤ 3% ` +
    `${metricsCode.share <= 0.03 ? 'met' : 'NOT met'} (${byFunction || 'no samples'}). Not in that figure: the ` +
    `garbage collection of what they allocate, and Fastify's hook runner, which ran for ` +
    `${(100 * hookRunner.share).toFixed(2)}% (for these hooks and the body parsers' preValidation hook).`,
);

console.log(`
\\* median of the per-round ratios (runs of a round are back to back). Load average ${loadStart} at start,
${os.loadavg()[0].toFixed(2)} at end, ${os.cpus().length} CPUs; Node ${process.version}.`);
stopAll();
process.exit(0);
