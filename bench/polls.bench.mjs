// Polls benchmark (not a test): vote and get-results throughput of the Nest app through HAProxy
// (the project's haproxy.cfg, the registry filling its polls backend) against two baselines measured
// in the same run on the same DynamoDB Local:
//   direct  the same SDK operations (bench/polls-operations.mjs: TransactWriteItems for a vote,
//           GetItem for results) sent from this one Node process, as many in flight as wrk has
//           connections: the baseline;
//   bare    those operations behind a bare node:http server (bench/baseline-polls.mjs) behind the
//           same HAProxy: what any HTTP service costs here, so app/bare is what Nest itself costs.
// One app instance by default, like-for-like with the one baseline process, allowed as many
// DynamoDB requests in flight as the baseline (DYNAMODB_CONCURRENCY); --instances 3 is the
// formation. Runs alternate within a round so drift hits all three alike.
//
//   npm run build && bin/node bench/polls.bench.mjs [--duration 10] [--warmup 3] [--connections 32] [--rounds 3] [--instances 1] [--cpu]
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { documentClient, results, vote } from './polls-operations.mjs';
import {
  children,
  cpuSeconds,
  freePort,
  listening,
  serverStats,
  start,
  startHaproxy,
  stopAll,
  waitFor,
} from './processes.mjs';
import { selfTime, startProfiler, stopProfiler } from './cpu-profile.mjs';
import { generatorFlag, wrk } from './wrk.mjs';

const { values: opts } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    connections: { type: 'string', default: '32' },
    rounds: { type: 'string', default: '3' },
    instances: { type: 'string', default: '1' },
    cpu: { type: 'boolean', default: false },
  },
});
const duration = Number(opts.duration);
const connections = Number(opts.connections);

/** CPU seconds used so far by each started process (children by label, and this process). */
function cpuByLabel() {
  const { user, system } = process.cpuUsage();
  const used = { bench: (user + system) / 1e6 };
  for (const child of children) used[child.label] = (used[child.label] ?? 0) + (cpuSeconds(child.pid) || 0);
  return used;
}
/**
 * The CPU the server under test used per request, in µs: the polls instances for `app`, the bare
 * server for `bare` (none for `direct`, which has no server). DynamoDB Local shares the two cores and
 * moves req/s by tens of percent between rounds; the server's own CPU per request does not depend on it.
 */
function serverCpuPerRequest(who, before, after, requests) {
  // Children are labelled by their name's first word: every `polls N` instance counts as `polls`.
  const label = { app: 'polls', bare: 'bare' }[who];
  if (!label || requests === 0) return undefined;
  return ((after[label] - (before[label] ?? 0)) / requests) * 1e6;
}
const cpuDelta = (before, after) =>
  Object.entries(after)
    .map(([k, v]) => `${k} ${(v - (before[k] ?? 0)).toFixed(1)}s`)
    .join(', ');

// --- the stack: DynamoDB Local (in memory), HAProxy, registry, polls x N --------------------------
const [ddb, registryPort] = await Promise.all([freePort(), freePort()]);
const endpoint = `http://127.0.0.1:${ddb}`;
start('dynamodb', 'bash', ['bin/dynamodb-local.sh', '-port', String(ddb), '-inMemory']);
const at = (port) => `127.0.0.1:${port}`;
const { likes, polls: pollsFront, runtime } = await startHaproxy();
await waitFor('dynamodb', () => listening(ddb));
const env = {
  DYNAMODB_ENDPOINT: endpoint,
  POLLS_TABLE: 'bench-polls',
  VOTES_TABLE: 'bench-votes',
  LOG_LEVEL: 'warn',
};
const tables = { polls: env.POLLS_TABLE, votes: env.VOTES_TABLE };
execFileSync(process.execPath, ['dist/apps/polls/main.js', '--init'], { env: { ...process.env, ...env } });
start('registry', process.execPath, ['dist/apps/registry/main.js'], {
  PORT: String(registryPort),
  REGISTRY_DB_PATH: join(mkdtempSync(join(tmpdir(), 'chirp-bench-')), 'registry.db'),
  HAPROXY_RUNTIME_ADDR: at(runtime),
  LOG_LEVEL: 'warn',
});
await waitFor('registry', () => listening(registryPort));
// The first instance and the bare server carry V8's profiler, idle until the profiled runs at the end.
const profiles = mkdtempSync(join(tmpdir(), 'chirp-bench-'));
const profiled = (name) => ({
  NODE_OPTIONS: `--require ${join(process.cwd(), 'bench/cpu-profiler.js')}`,
  CPU_PROFILE_FILE: join(profiles, `${name}.cpuprofile`),
});
const servers = {};
for (let i = 0; i < Number(opts.instances); i++) {
  servers[`app${i}`] = start(`polls ${i}`, process.execPath, ['dist/apps/polls/main.js'], {
    ...env,
    ...(i === 0 && profiled('app')),
    DYNAMODB_CONCURRENCY: String(connections),
    PORT: String(await freePort()),
    REGISTRY_URL: `http://${at(registryPort)}`,
  });
}
// The bare server goes into the likes backend, which this benchmark leaves otherwise empty.
const barePort = await freePort();
servers.bare = start('bare', process.execPath, ['bench/baseline-polls.mjs'], {
  ...env,
  ...profiled('bare'),
  DYNAMODB_ENDPOINT: endpoint,
  PORT: String(barePort),
});
await waitFor('bare server', () => listening(barePort));
const registered = await fetch(`http://${at(registryPort)}/services`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ service_name: 'likes', url: `http://${at(barePort)}` }),
});
if (!registered.ok) throw new Error(`registering the bare server: ${registered.status}`);
const upIn = async (backend) => (await serverStats(runtime, backend)).filter((s) => s.status === 'UP').length;
await waitFor(
  'polls instances and the bare server UP in HAProxy',
  async () => (await upIn('polls')) === Number(opts.instances) && (await upIn('likes')) === 1,
);
const app = `http://${at(pollsFront)}`;
const bare = `http://${at(likes)}`;

// --- the runs ---------------------------------------------------------------------------------
const db = documentClient(endpoint, connections);
const CHOICES = ['red', 'green', 'blue'];
async function newPoll() {
  const response = await fetch(`${app}/polls`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ polls_title: 'Bench', username: 'bench', responses: CHOICES }),
  });
  return (await response.json()).polls_id;
}

/** Runs `op` with `connections` in flight for `seconds`: requests per second, errors, p99 (ms). */
async function closedLoop(seconds, op) {
  const end = Date.now() + seconds * 1000;
  const latencies = [];
  let errors = 0;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (Date.now() < end) {
        const started = performance.now();
        try {
          await op();
          latencies.push(performance.now() - started);
        } catch {
          errors++;
        }
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const p99 = Math.round(latencies[Math.floor(latencies.length * 0.99)] ?? NaN);
  return { rps: latencies.length / seconds, errors, p99 };
}

/** wrk against `url` with `connections` connections: the same three figures, and wrk's CPU. */
async function load(url, seconds, options = {}) {
  const run = await wrk(url, { duration: seconds, connections, ...options });
  return {
    rps: (run.requests - run.failed) / seconds,
    errors: run.failed,
    p99: Math.round(run.p99),
    generator: run,
  };
}

let sequence = 0;
const voteOver = (url, pollsId, prefix, seconds) =>
  load(url, seconds, {
    script: 'bench/wrk/vote.lua',
    env: { POLL_ID: pollsId, USER_PREFIX: `${prefix}${sequence++}x` },
  });
const resultsOver = (url, pollsId, seconds) => load(`${url}/polls/${pollsId}/results`, seconds);

const [directPoll, barePoll, appPoll] = [await newPoll(), await newPoll(), await newPoll()];
const scenarios = {
  vote: {
    direct: (s) =>
      closedLoop(s, () => {
        const n = sequence++;
        return vote(db, tables, { polls_id: directPoll, username: `d${n}`, choice: CHOICES[n % 3] });
      }),
    bare: (s) => voteOver(bare, barePoll, 'b', s),
    app: (s) => voteOver(app, appPoll, 'a', s),
  },
  results: {
    direct: (s) => closedLoop(s, () => results(db, tables, directPoll)),
    bare: (s) => resultsOver(bare, barePoll, s),
    app: (s) => resultsOver(app, appPoll, s),
  },
};

console.log(
  `polls bench: ${opts.instances} app instance(s) behind HAProxy vs bare node:http behind HAProxy vs ` +
    `SDK direct; wrk (1 thread) or ${connections} in flight, ${duration}s x ${opts.rounds} rounds (warm-up ${opts.warmup}s each)`,
);
const median = (values) => values.toSorted((a, b) => a - b)[Math.floor(values.length / 2)];
const summary = [];
for (const [name, runs] of Object.entries(scenarios)) {
  for (const run of Object.values(runs)) await run(Number(opts.warmup));
  const rounds = [];
  for (let round = 1; round <= Number(opts.rounds); round++) {
    const figures = {};
    for (const [who, run] of Object.entries(runs)) {
      const before = cpuByLabel();
      figures[who] = await run(duration);
      const after = cpuByLabel();
      const { rps, errors, p99, generator } = figures[who];
      figures[who].serverCpu = serverCpuPerRequest(who, before, after, rps * duration);
      const wrkCpu = generator
        ? `  wrk CPU ${Math.round(generator.generatorCpu * 100)}%${generatorFlag(generator)}`
        : '';
      const cpu =
        figures[who].serverCpu === undefined
          ? ''
          : `  server CPU ${figures[who].serverCpu.toFixed(0)} µs/req`;
      console.log(
        `  round ${round} ${name.padEnd(7)} ${who.padEnd(6)} ${rps.toFixed(0).padStart(5)} req/s  ` +
          `p99 ${String(p99).padStart(4)} ms  ${errors} errors/non-2xx${wrkCpu}${cpu}`,
      );
      if (opts.cpu) console.log(`    cpu: ${cpuDelta(before, after)}`);
    }
    rounds.push(figures);
  }
  const ratio = (a, b) => median(rounds.map((r) => r[a].rps / r[b].rps));
  const cpuRatio = median(rounds.map((r) => r.bare.serverCpu / r.app.serverCpu));
  const cpu = (who) => median(rounds.map((r) => r[who].serverCpu)).toFixed(0);
  const rps = (who) => median(rounds.map((r) => r[who].rps)).toFixed(0);
  const p99 = (who) => median(rounds.map((r) => r[who].p99));
  summary.push([
    name,
    rps('app'),
    rps('bare'),
    rps('direct'),
    ratio('app', 'direct'),
    ratio('bare', 'direct'),
    ratio('app', 'bare'),
    p99('app'),
    p99('bare'),
    p99('direct'),
    cpu('app'),
    cpu('bare'),
    cpuRatio,
  ]);
}
console.log(
  '\nmedians over rounds  app req/s  bare req/s  direct req/s  app/direct*  bare/direct*  app/bare*  ' +
    'p99 app  p99 bare  p99 direct  CPU µs/req app  bare  bare/app*',
);
for (const [name, app, bareRps, direct, ad, bd, ab, pa, pb, pd, ca, cb, cr] of summary) {
  console.log(
    `${name.padEnd(20)} ${app.padStart(9)}  ${bareRps.padStart(10)}  ${direct.padStart(12)}  ` +
      `${ad.toFixed(2).padStart(10)}x  ${bd.toFixed(2).padStart(11)}x  ${ab.toFixed(2).padStart(8)}x  ` +
      `${String(pa).padStart(4)} ms  ${String(pb).padStart(5)} ms  ${String(pd).padStart(7)} ms  ` +
      `${ca.padStart(14)}  ${cb.padStart(4)}  ${cr.toFixed(2).padStart(8)}x`,
  );
}
console.log(
  "* median of per-round ratios. app/direct is the issue's target (0.9x); bare/direct is what\n" +
    '  a service with no framework at all reaches through the same HAProxy on this machine. CPU µs/req is\n' +
    "  the server's own CPU (all app instances, or the bare server) per request answered: DynamoDB Local\n" +
    '  shares the cores and moves req/s between rounds, not what a request costs the server.',
);

// Where each server's CPU goes on `results`: one more run each, profiled (the first instance stands
// for the app). Per request, by package, so the two servers' costs compare line by line.
const profile = async (who, url, pollsId, instances) => {
  const file = join(profiles, `${who}.cpuprofile`);
  const pid = servers[who === 'app' ? 'app0' : 'bare'].pid;
  startProfiler(pid, file);
  const run = await resultsOver(url, pollsId, duration);
  await stopProfiler(pid, file);
  return { ...selfTime(file), requests: (run.rps * duration) / instances };
};
const app0 = await profile('app', app, appPoll, Number(opts.instances));
const bareProfile = await profile('bare', bare, barePoll, 1);
// V8 samples every 200 µs (bench/cpu-profiler.js): a sample stands for 200 µs of that server's CPU.
const perRequest = (p, pkg) => (((p.byPackage.get(pkg) ?? 0) * 200) / p.requests).toFixed(0);
const packages = [...new Set([...app0.byPackage.keys(), ...bareProfile.byPackage.keys()])]
  .map((pkg) => [pkg, Number(perRequest(app0, pkg)) - Number(perRequest(bareProfile, pkg))])
  .sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]))
  .slice(0, 15);
console.log(
  `\nProfiled (one more ${duration} s results run of each; V8's sampler every 200 µs; the app's first instance):` +
    ` CPU µs per request by package (self time), largest differences first. Total: app ` +
    `${((app0.busy * 200) / app0.requests).toFixed(0)}, bare ${((bareProfile.busy * 200) / bareProfile.requests).toFixed(0)}.`,
);
console.log(
  `${'package'.padEnd(28)} ${'app'.padStart(6)} ${'bare'.padStart(6)} ${'app - bare'.padStart(11)}`,
);
for (const [pkg, difference] of packages) {
  console.log(
    `${pkg.slice(0, 28).padEnd(28)} ${perRequest(app0, pkg).padStart(6)} ${perRequest(bareProfile, pkg).padStart(6)} ${String(difference).padStart(11)}`,
  );
}
stopAll();
db.destroy();
process.exit(0);
