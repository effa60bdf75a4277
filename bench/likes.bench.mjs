// Likes benchmark (not a test): one Nest likes instance against the fair bare baseline
// (bench/baseline-likes.mjs: node:http + ioredis + better-sqlite3 doing the same work: same Lua
// script, same zod rules, same posts cache, same JSON), both directly on their own ports, same Redis,
// same posts.db, same wrk settings. The cost of /metrics's request timing (target <= 3%) is measured
// twice: end to end, against the same app with METRICS_ENABLED=false, and as its share of a CPU
// profile of the app under the like load. What being a likes process costs the same code, apart from
// any per-request work, is measured by bench/process-cost.mjs.
// Two things made this machine's figures move by more than the differences measured, and the method
// answers each:
// - A server's req/s moves by 10-20% from one second to the next on its own: two servers are compared
//   in the same seconds, taking turns every --slice ms (bench/interleave.mjs), not in runs seconds apart.
// - A process keeps the speed its JIT settled on: three identical likes instances, measured in turns,
//   stayed 5-20% apart for their whole lives. So every round starts fresh processes, and the figures
//   are medians over rounds.
// HAProxy's paths and latencies are measured by bench/formation.bench.mjs.
//
//   npm run build && bin/node bench/likes.bench.mjs [--duration 8] [--warmup 2] [--connections 32] [--rounds 6] [--slice 200]
// (--duration: seconds per pair and operation, each server running about half of them;
//  --warmup: seconds of each operation on each new process before it is measured)
import { mkdtempSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { interleaved } from './interleave.mjs';
import { retire, startLikesApp, startLikesBaseline, startLikesStores, stopAll } from './processes.mjs';
import { median } from './stats.mjs';
import { shareOf, startProfiler, stopProfiler } from './cpu-profile.mjs';
import { GENERATOR_CPU_LIMIT, likesLoadOptions, likesLoads, wrk } from './wrk.mjs';

const opts = likesLoadOptions({
  duration: { type: 'string', default: '8' },
  warmup: { type: 'string', default: '2' },
  rounds: { type: 'string', default: '6' },
  slice: { type: 'string', default: '200' },
});
const POSTS = Number(opts.posts);
const CONNECTIONS = Number(opts.connections);
const loadStart = os.loadavg()[0].toFixed(2);

const dir = mkdtempSync(join(tmpdir(), 'chirp-bench-'));
const common = await startLikesStores(dir, POSTS);
// The Nest apps carry the profiler (idle until asked), so they differ only in METRICS_ENABLED.
const profileOf = (name) => join(dir, `${name}.cpuprofile`);
const startNest = (name, env = {}) =>
  startLikesApp(name, {
    ...common,
    NODE_OPTIONS: `--require ${join(process.cwd(), 'bench/cpu-profiler.js')}`,
    CPU_PROFILE_FILE: profileOf(name),
    ...env,
  });
const startBaseline = () => startLikesBaseline(common);
const operations = likesLoads(POSTS, 'r');
const pairs = [
  ['nest', 'baseline'],
  ['nest', 'nest, metrics off'],
];

// The top list needs likes before the first round.
const seed = await startBaseline();
await wrk(...withLoad(operations.like(seed), Number(opts.warmup)));
await retire(seed.child);

console.log(`## Likes: one instance against the bare baseline, directly

wrk, 1 thread each, ${CONNECTIONS} keep-alive connections; ${opts.rounds} rounds, each on new processes warmed with
${opts.warmup} s of each operation; each pair measured for ${opts.duration} s taking turns every ${opts.slice} ms (bench/interleave.mjs);
${POSTS} posts; each like a new random user on a random post; top is \`GET /top/likes\`. req/s is over the
time a server was let run; CPU is all its threads' (schedstat).

| round | operation | pair | req/s | req/s ratio | CPU µs/req | CPU ratio (second/first) | wrk CPU | failed |
|---|---|---|---:|---:|---:|---:|---:|---:|`);
const results = { like: {}, top: {} }; // operation -> pair -> per-round ratios
for (let round = 1; round <= Number(opts.rounds); round++) {
  const starts = [
    ['nest', () => startNest('likes')],
    ['nest, metrics off', () => startNest('likes-no-metrics', { METRICS_ENABLED: 'false' })],
    ['baseline', startBaseline],
  ];
  // Started in a different order each round, in case the order favours one.
  const servers = {};
  for (let i = 0; i < starts.length; i++) {
    const [name, startServer] = starts[(i + round) % starts.length];
    servers[name] = await startServer();
  }
  for (const server of Object.values(servers)) {
    for (const operation of ['like', 'top'])
      await wrk(...withLoad(operations[operation](server), Number(opts.warmup)));
  }
  for (const operation of ['like', 'top']) {
    for (const names of pairs) {
      // Which server runs first alternates with the rounds.
      const order = round % 2 === 1 ? names : [...names].reverse();
      const measured = await interleaved(
        order.map((name) => servers[name]),
        operations[operation],
        { seconds: Number(opts.duration), sliceMs: Number(opts.slice), connections: CONNECTIONS },
      );
      const [a, b] = order[0] === names[0] ? measured : [...measured].reverse();
      const key = names.join(' / ');
      results[operation][key] ??= { rps: [], cpu: [], a: [], b: [] };
      const r = results[operation][key];
      r.rps.push(a.rps / b.rps);
      r.cpu.push(b.serverCpu / a.serverCpu);
      r.a.push(a.rps);
      r.b.push(b.rps);
      const wrkCpu = Math.max(a.generatorCpu, b.generatorCpu);
      console.log(
        `| ${round} | ${operation} | ${key} | ${a.rps.toFixed(0)} / ${b.rps.toFixed(0)} | ${(a.rps / b.rps).toFixed(3)} | ` +
          `${a.serverCpu.toFixed(1)} / ${b.serverCpu.toFixed(1)} | ${(b.serverCpu / a.serverCpu).toFixed(3)} | ` +
          `${Math.round(wrkCpu * 100)}%${wrkCpu > GENERATOR_CPU_LIMIT ? ' ⚠' : ''} | ${a.failed + b.failed} |`,
      );
    }
  }
  for (const server of Object.values(servers)) await retire(server.child);
}

function withLoad([url, options], duration) {
  return [url, { ...options, connections: CONNECTIONS, duration }];
}

const spread = (xs) => `${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)}`;
/** The summary of one pair: median req/s of each, the median per-round ratios and their spreads. */
function compare([a, b], target, heading) {
  console.log(`
${heading}| operation | ${a} req/s | ${b} req/s | req/s, ${a}/${b}* (spread) | CPU per request, ${b}/${a}* (spread) | target |
|---|---:|---:|---:|---:|---:|`);
  for (const operation of ['like', 'top']) {
    const r = results[operation][`${a} / ${b}`];
    console.log(
      `| ${operation} | ${median(r.a).toFixed(0)} | ${median(r.b).toFixed(0)} | ` +
        `${median(r.rps).toFixed(3)}x (${spread(r.rps)}) | ${median(r.cpu).toFixed(3)}x (${spread(r.cpu)}) | ` +
        `${target ? `≥ ${target}x ${median(r.rps) >= target ? 'met' : 'NOT met'}` : 'see below'} |`,
    );
  }
}
compare(pairs[0], 0.9, '');
compare(
  pairs[1],
  undefined,
  'The cost of metrics (request count, duration histogram, in-flight gauge, process collectors), end to\n' +
    'end; a few percent is within what a round can tell, so the profile below judges it:\n\n',
);

// The metrics' own share of the app's CPU under the like load, from V8's sampling profiler.
const PROFILED_SECONDS = 5; // enough samples for a share of a few percent, whatever --duration says
const nest = await startNest('likes');
await wrk(...withLoad(operations.like(nest), Number(opts.warmup)));
const profileFile = profileOf('likes');
startProfiler(nest.pid, profileFile);
await wrk(...withLoad(operations.like(nest), PROFILED_SECONDS));
await stopProfiler(nest.pid, profileFile);
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
Profiled (a ${PROFILED_SECONDS} s like run of one more \`nest\`, V8's sampler every 200 µs, ${metricsCode.samples} busy samples):
the metrics code's share of the app's CPU is **${(100 * metricsCode.share).toFixed(2)}%**, target ≤ 3% ` +
    `${metricsCode.share <= 0.03 ? 'met' : 'NOT met'} (${byFunction || 'no samples'}). Not in that figure: the ` +
    `garbage collection of what they allocate, and Fastify's hook runner, which ran for ` +
    `${(100 * hookRunner.share).toFixed(2)}% (for these hooks and the body parsers' preValidation hook).`,
);

console.log(`
\\* median of the per-round ratios (each round on new processes). Load average ${loadStart} at start,
${os.loadavg()[0].toFixed(2)} at end, ${os.cpus().length} CPUs; Node ${process.version}.`);
stopAll();
process.exit(0);
