// Formation benchmark (not a test): the path users take. Redis, HAProxy (the project's haproxy.cfg),
// the registry and three likes instances that register themselves, as `npm start` runs them (polls
// and DynamoDB Local are left out: idle, they would only take memory). Like and top (past HAProxy's
// cache) are measured four ways, alternating within each round:
//   front     through HAProxy's likes frontend, round-robin over the three registry-managed slots;
//   one slot  the same, with the other two slots weighted 0, so only instance 1 answers;
//   static    a second HAProxy on a copy of haproxy.cfg whose likes backend is one server line,
//             written in the file, to instance 1: the same options, nothing managed at run time;
//   direct    instance 1 on its own port.
// "one slot" against "static" is what registry management costs; HAProxy's connect and reuse
// counters show whether backend connections were reused.
//
//   npm run build && bin/node bench/formation.bench.mjs [--duration 5] [--warmup 2] [--connections 32] [--rounds 3]
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  freePort,
  listening,
  runtimeCommand,
  serverStats,
  start,
  startHaproxy,
  startLikesStores,
  stopAll,
  waitFor,
} from './processes.mjs';
import { generatorFlag, likesLoadOptions, wrk } from './wrk.mjs';

const opts = likesLoadOptions();
const POSTS = Number(opts.posts);
const INSTANCES = 3;
const at = (port) => `127.0.0.1:${port}`;
const dir = mkdtempSync(join(tmpdir(), 'chirp-formation-'));

/** The likes backend's servers from `show stat`: name, address, requests, connects, reuses. */
const likesServers = async (runtime) =>
  (await serverStats(runtime, 'likes')).map((s) => ({
    name: s.svname,
    addr: s.addr,
    status: s.status,
    stot: Number(s.stot),
    connect: Number(s.connect),
    reuse: Number(s.reuse),
  }));
const counters = async (runtime) =>
  (await likesServers(runtime)).reduce(
    (sum, s) => ({ stot: sum.stot + s.stot, connect: sum.connect + s.connect, reuse: sum.reuse + s.reuse }),
    { stot: 0, connect: 0, reuse: 0 },
  );

// --- the formation --------------------------------------------------------------------------------
const likesEnv = await startLikesStores(dir, POSTS);
const front = await startHaproxy();
const registryPort = await freePort();
start('registry', process.execPath, ['dist/apps/registry/main.js'], {
  PORT: String(registryPort),
  REGISTRY_DB_PATH: join(dir, 'registry.db'),
  HAPROXY_RUNTIME_ADDR: at(front.runtime),
  LOG_LEVEL: 'warn',
});
await waitFor('registry', () => listening(registryPort));
const instancePorts = [];
for (let i = 0; i < INSTANCES; i++) {
  const port = await freePort();
  instancePorts.push(port);
  start(`likes ${i + 1}`, process.execPath, ['dist/apps/likes/main.js'], {
    ...likesEnv,
    PORT: String(port),
    LOG_LEVEL: 'warn',
    NODE_ENV: 'production',
    REGISTRY_URL: `http://${at(front.registry)}`, // through HAProxy, as in npm start
  });
}
await waitFor(
  'three likes slots UP',
  async () => (await likesServers(front.runtime)).filter((s) => s.status === 'UP').length === INSTANCES,
);
const [first] = instancePorts;
const slots = await likesServers(front.runtime);
const firstSlot = slots.find((s) => s.addr === at(first)).name;
const otherSlots = slots.filter((s) => s.status === 'UP' && s.name !== firstSlot).map((s) => s.name);

// The same configuration with the likes backend's slots replaced by one server line to instance 1.
const staticConfig = join(dir, 'haproxy-static.cfg');
writeFileSync(
  staticConfig,
  readFileSync('haproxy.cfg', 'utf8').replace(
    /(backend likes from base\n(?:.*\n)*?)\s*server-template .*\n/,
    `$1    server static ${at(first)}\n`,
  ),
);
// Its relative paths (errorfiles, the registry's applied-index map) as beside haproxy.cfg.
symlinkSync(resolve('errors'), join(dir, 'errors'));
symlinkSync(resolve('maps'), join(dir, 'maps'));
const fixed = await startHaproxy('haproxy-static', staticConfig);
await waitFor('the static server UP', async () => (await likesServers(fixed.runtime))[0]?.status === 'UP');

// --- the runs ---------------------------------------------------------------------------------------
const weights = async (weight) => {
  for (const slot of otherSlots)
    await runtimeCommand(front.runtime, `set server likes/${slot} weight ${weight}`);
};
const paths = {
  front: { base: `http://${at(front.likes)}`, runtime: front.runtime },
  'one slot': {
    base: `http://${at(front.likes)}`,
    runtime: front.runtime,
    before: () => weights(0),
    after: () => weights(1),
  },
  static: { base: `http://${at(fixed.likes)}`, runtime: fixed.runtime },
  direct: { base: `http://${at(first)}` },
};
let runs = 0;
const load = (operation, base, duration) =>
  operation === 'like'
    ? wrk(base, {
        duration,
        connections: Number(opts.connections),
        script: 'bench/wrk/like.lua',
        env: { POSTS: String(POSTS), USER_PREFIX: `f${runs++}x` },
      })
    : wrk(`${base}/top/likes`, {
        duration,
        connections: Number(opts.connections),
        headers: ['cache-control: no-cache'], // past HAProxy's read cache: the servers answer
      });

async function measure(operation, name) {
  const path = paths[name];
  await path.before?.();
  try {
    await load(operation, path.base, Number(opts.warmup));
    const before = path.runtime && (await counters(path.runtime));
    const run = await load(operation, path.base, Number(opts.duration));
    const after = path.runtime && (await counters(path.runtime));
    const connects = after ? after.connect - before.connect : NaN;
    const requests = after ? after.stot - before.stot : NaN;
    return { ...run, connects, reused: after ? (after.reuse - before.reuse) / requests : NaN };
  } finally {
    await path.after?.();
  }
}

// Every instance warm (JIT, connections, the posts cache) before anything is measured.
await load('like', paths.front.base, 3 * Number(opts.warmup));
await load('top', paths.front.base, 3 * Number(opts.warmup));

console.log(`## Formation: the path users take

Redis, HAProxy, the registry and ${INSTANCES} likes instances as \`npm start\` runs them; wrk, 1 thread,
${opts.connections} keep-alive connections, ${opts.warmup} s warm-up + ${opts.duration} s per run, ${opts.rounds} rounds alternating.
"front" is HAProxy's likes frontend over the three registry-managed slots; "one slot" the same with
the other two slots weighted 0 (only instance 1 answers); "static" a copy of haproxy.cfg whose likes
backend is one \`server\` line to instance 1; "direct" instance 1 on its own port. Backend connects and
reuse are HAProxy's own counters over the measured run.

| round | operation | path | req/s | p50 ms | p99 ms | backend connects | reused | wrk CPU | failed |
|---|---|---|---:|---:|---:|---:|---:|---:|---:|`);
const names = Object.keys(paths);
const results = { like: {}, top: {} };
for (let round = 0; round < Number(opts.rounds); round++) {
  const order = [...names.slice(round % names.length), ...names.slice(0, round % names.length)];
  for (const operation of ['like', 'top']) {
    for (const name of order) {
      const r = await measure(operation, name);
      (results[operation][name] ??= []).push(r);
      const reused = Number.isNaN(r.reused) ? '-' : `${(r.reused * 100).toFixed(2)}%`;
      const connects = Number.isNaN(r.connects) ? '-' : r.connects;
      console.log(
        `| ${round + 1} | ${operation} | ${name} | ${r.rps.toFixed(0)} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ` +
          `${connects} | ${reused} | ${Math.round(r.generatorCpu * 100)}%${generatorFlag(r)} | ${r.failed} |`,
      );
    }
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const ratio = (operation, a, b) =>
  median(results[operation][a].map((x, i) => x.rps / results[operation][b][i].rps));
const check = (value, target) =>
  `${value.toFixed(2)}x (target ≥ ${target}x: ${value >= target ? 'met' : 'NOT met'})`;
console.log(`
| operation | front req/s | one slot | static | direct | one slot / static* | front / direct* | reused (front, one slot) |
|---|---:|---:|---:|---:|---:|---:|---:|`);
for (const operation of ['like', 'top']) {
  const rps = (name) => median(results[operation][name].map((x) => x.rps)).toFixed(0);
  const reused = ['front', 'one slot']
    .map((name) => `${(Math.min(...results[operation][name].map((x) => x.reused)) * 100).toFixed(2)}%`)
    .join(', ');
  console.log(
    `| ${operation} | ${rps('front')} | ${rps('one slot')} | ${rps('static')} | ${rps('direct')} | ` +
      `${check(ratio(operation, 'one slot', 'static'), 0.9)} | ${ratio(operation, 'front', 'direct').toFixed(2)}x | ${reused} |`,
  );
}
const allReused = ['like', 'top'].flatMap((op) =>
  ['front', 'one slot'].flatMap((n) => results[op][n].map((x) => x.reused)),
);
console.log(`
\\* median of the per-round ratios. Reuse target (≥ 99% of requests on a reused backend connection, worst
run): ${Math.min(...allReused) >= 0.99 ? 'met' : 'NOT met'}. ${os.cpus().length} CPUs shared by wrk, HAProxy and every instance:
through the front, three instances and HAProxy compete for the same two cores as wrk. Load average
${os.loadavg()[0].toFixed(2)} at the end; Node ${process.version}.`);
stopAll();
process.exit(0);
