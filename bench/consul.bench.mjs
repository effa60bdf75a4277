// Consul read API benchmark (not a test): what the Consul view costs beside the registry's own list
// of the same instances, and how fast one change reaches many held watchers.
//   own     GET /services/likes/instances (the registry's API)
//   consul  GET /v1/health/service/likes (Consul's shape of the same records, a larger answer)
// Each directly on the registry's port and through HAProxy's registry frontend (the project's
// haproxy.cfg), alternating within each round; the registry's CPU per request is read from /proc.
// Then the fan-out: WATCHERS blocking queries on /v1/health/service/likes, one registration wakes
// them all; the time from its answer to the last watcher's answer.
//
//   npm run build && bin/node bench/consul.bench.mjs [--duration 5] [--warmup 2] [--connections 32] [--rounds 3]
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpuSeconds, freePort, start, startHaproxy, stopAll, waitFor } from './processes.mjs';
import { generatorFlag, likesLoadOptions, wrk } from './wrk.mjs';

const opts = likesLoadOptions();
const WATCHERS = 500;
const FANOUTS = 5;

const haproxy = await startHaproxy();
const port = await freePort();
const registry = start('registry', process.execPath, ['dist/apps/registry/main.js'], {
  PORT: String(port),
  REGISTRY_DB_PATH: join(mkdtempSync(join(tmpdir(), 'chirp-bench-')), 'registry.db'),
  HAPROXY_RUNTIME_ADDR: `127.0.0.1:${haproxy.runtime}`,
  // No round during the runs: the membership stays the same, so the answers do too.
  HEALTH_CHECK_INTERVAL_MS: '600000',
  REGISTRY_MAX_HELD_QUERIES: String(WATCHERS * 2),
  LOG_LEVEL: 'error',
  NODE_ENV: 'production',
});
const direct = `http://127.0.0.1:${port}`;
const front = `http://127.0.0.1:${haproxy.registry}`;
await waitFor('registry through HAProxy', async () => (await fetch(`${front}/health-check`)).ok);

// Three likes instances as the apps register them (a tag and meta.version), answering their checks.
const listen = (server) =>
  new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));
const register = async (instancePort) => {
  const response = await fetch(`${direct}/services`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      service_name: 'likes',
      url: `http://127.0.0.1:${instancePort}`,
      tags: ['likes'],
      meta: { version: '0.1.0' },
    }),
  });
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`register: ${response.status}`);
};
const instances = [];
for (let i = 0; i < 3; i++) {
  const server = createServer((_req, res) => res.end('ok'));
  instances.push(server);
  await register(await listen(server));
}

const routes = { own: '/services/likes/instances', consul: '/v1/health/service/likes' };
const paths = { direct, haproxy: front };
const sizes = {};
for (const [name, route] of Object.entries(routes))
  sizes[name] = (await (await fetch(direct + route)).text()).length;

const rows = [];
const totals = {};
for (let round = 1; round <= Number(opts.rounds); round++) {
  for (const [pathName, base] of Object.entries(paths)) {
    // Which route runs first alternates by round, so neither always gets the warmer machine.
    const order = round % 2 === 1 ? Object.entries(routes) : Object.entries(routes).reverse();
    for (const [name, route] of order) {
      await wrk(base + route, { duration: opts.warmup, connections: opts.connections });
      const before = cpuSeconds(registry.pid);
      const run = await wrk(base + route, { duration: opts.duration, connections: opts.connections });
      const cpuUs = ((cpuSeconds(registry.pid) - before) / run.requests) * 1e6;
      rows.push({ round, pathName, name, run, cpuUs });
      const key = `${pathName} ${name}`;
      totals[key] ??= { rps: [], cpuUs: [] };
      totals[key].rps.push(run.rps);
      totals[key].cpuUs.push(cpuUs);
    }
  }
}

// The fan-out: WATCHERS held queries, one registration; registration answered -> last watcher answered.
const fanouts = [];
for (let i = 0; i < FANOUTS; i++) {
  const index = (await fetch(`${direct}/v1/health/service/likes`)).headers.get('x-consul-index');
  const answered = [];
  const watchers = Array.from({ length: WATCHERS }, () =>
    fetch(`${direct}/v1/health/service/likes?index=${index}&wait=60000ms&stale=`)
      .then((r) => r.arrayBuffer())
      .then(() => answered.push(performance.now())),
  );
  await waitFor(`${WATCHERS} watchers held`, async () => {
    const metrics = await (await fetch(`${direct}/metrics`)).text();
    return Number(/^chirp_registry_held_watches (\d+)/m.exec(metrics)?.[1]) === WATCHERS;
  });
  const server = createServer((_req, res) => res.end('ok'));
  instances.push(server);
  const instancePort = await listen(server);
  const sent = performance.now();
  await register(instancePort);
  const registered = performance.now();
  await Promise.all(watchers);
  const last = Math.max(...answered);
  fanouts.push({ registration: registered - sent, fromSent: last - sent, fromAnswer: last - registered });
}

stopAll();
registry.signal('SIGTERM');
instances.forEach((server) => server.close());

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
// Each round's pair ran back to back on the same machine state: the median of the rounds' ratios.
const ratio = (pathName, measure) => {
  const [consul, own] = [totals[`${pathName} consul`][measure], totals[`${pathName} own`][measure]];
  return median(consul.map((value, i) => value / own[i]));
};
// This machine has slow spells that double a run's CPU per request whichever route runs then; noise
// only ever adds, so each route's best run is the other estimate.
const bestRatio = (pathName) =>
  Math.min(...totals[`${pathName} consul`].cpuUs) / Math.min(...totals[`${pathName} own`].cpuUs);
const fmt = (n, digits = 0) => n.toFixed(digits);
console.log(`## Registry: Consul's view (/v1) beside the registry's own list

The same three likes instances (tag and meta.version, as the apps register), answered as
\`GET ${routes.own}\` (own, ${sizes.own} bytes) and \`GET ${routes.consul}\` (consul, ${sizes.consul}
bytes); directly on the registry's port and through HAProxy's registry frontend; wrk, 1 thread,
${opts.connections} keep-alive connections, ${opts.warmup} s warm-up + ${opts.duration} s per run, ${opts.rounds} rounds alternating.
"registry CPU/req" is the registry process's CPU time over the run divided by its requests.

| round | path | route | req/s | p50 ms | p99 ms | registry CPU/req µs | wrk CPU | failed |
|---|---|---|---:|---:|---:|---:|---:|---:|
${rows
  .map(
    ({ round, pathName, name, run, cpuUs }) =>
      `| ${round} | ${pathName} | ${name} | ${fmt(run.rps)} | ${fmt(run.p50, 2)} | ${fmt(run.p99, 2)} | ${fmt(cpuUs, 1)} | ${fmt(run.generatorCpu * 100)}%${generatorFlag(run)} | ${run.failed} |`,
  )
  .join('\n')}

| path | consul/own req/s (median of the rounds') | consul/own registry CPU per request (median of the rounds') | the same, each route's best run (target ≤ 1.10) |
|---|---:|---:|---:|
| direct | ${fmt(ratio('direct', 'rps'), 2)}x | ${fmt(ratio('direct', 'cpuUs'), 2)}x | ${fmt(bestRatio('direct'), 2)}x |
| haproxy | ${fmt(ratio('haproxy', 'rps'), 2)}x | ${fmt(ratio('haproxy', 'cpuUs'), 2)}x | ${fmt(bestRatio('haproxy'), 2)}x |

Fan-out: ${WATCHERS} blocking queries held on \`${routes.consul}?index=N&wait=60000ms\`, woken by one
registration (${FANOUTS} times). The registry releases them when its transaction commits, before the
registration's answer (which waits for HAProxy's slot), so the last watcher's answer is timed from the
registration sent and from its answer (target: within 100 ms of the answer; negative: before it).

| try | registration ms | last watcher from sent, ms | last watcher from answer, ms |
|---:|---:|---:|---:|
${fanouts.map((f, i) => `| ${i + 1} | ${fmt(f.registration, 1)} | ${fmt(f.fromSent, 1)} | ${fmt(f.fromAnswer, 1)} |`).join('\n')}
| median | ${fmt(median(fanouts.map((f) => f.registration)), 1)} | ${fmt(median(fanouts.map((f) => f.fromSent)), 1)} | ${fmt(median(fanouts.map((f) => f.fromAnswer)), 1)} |
`);
process.exit(0);
