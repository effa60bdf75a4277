// Front doors benchmark (not a test): one registry driving 1, 3 and 5 HAProxies (HAPROXY_RUNTIME_ADDRS).
//   push       a registration sent → every HAProxy shows the instance UP (its answer waits for the
//              pushes, so the check after it confirms them); the registration's own answer beside it.
//   reconcile  an HAProxy with 1 000 filled slots is killed and started again: from its Runtime API
//              listening to all 1 000 slots filled again (the registry probes every 100 ms here).
// Prints a Markdown section.
//
//   npm run build && bin/node bench/front-doors.bench.mjs [registrations=200]
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, listening, serverStats, start, stopAll, waitFor } from './processes.mjs';

const REGISTRATIONS = Number(process.argv[2] ?? 200);
const SLOTS = 1000;
const TARGETS = [1, 3, 5];

const listen = (server) =>
  new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));
const at = (port) => `127.0.0.1:${port}`;

/** An HAProxy from the project's haproxy.cfg on `ports` (fresh ones unless given): restartable. */
async function haproxy(slots, ports) {
  ports ??= Object.fromEntries(
    await Promise.all(
      ['likes', 'polls', 'registry', 'stats', 'runtime', 'metrics'].map(async (k) => [k, await freePort()]),
    ),
  );
  const child = start('haproxy', 'haproxy', ['-db', '-f', 'haproxy.cfg'], {
    HAPROXY_LIKES_ADDR: at(ports.likes),
    HAPROXY_POLLS_ADDR: at(ports.polls),
    HAPROXY_REGISTRY_ADDR: at(ports.registry),
    HAPROXY_STATS_ADDR: at(ports.stats),
    HAPROXY_RUNTIME_ADDR: at(ports.runtime),
    HAPROXY_METRICS_ADDR: at(ports.metrics),
    HAPROXY_SLOTS: String(slots),
    CACHE_MAX_AGE: '5',
  });
  await waitFor('haproxy', () => listening(ports.runtime));
  return { ports, child };
}

async function registry(targets, extra = {}) {
  const port = await freePort();
  const child = start('registry', process.execPath, ['dist/apps/registry/main.js'], {
    PORT: String(port),
    REGISTRY_DB_PATH: join(mkdtempSync(join(tmpdir(), 'chirp-bench-')), 'registry.db'),
    HAPROXY_RUNTIME_ADDRS: targets.map((t) => at(t.ports.runtime)).join(','),
    HEALTH_CHECK_INTERVAL_MS: '600000', // no round: every change here is a push
    LOG_LEVEL: 'error',
    NODE_ENV: 'production',
    ...extra,
  });
  const url = `http://127.0.0.1:${port}`;
  await waitFor('registry', async () => (await fetch(`${url}/health-check`).catch(() => null))?.ok);
  return { url, child };
}

const send = async (url, path, method, body) => {
  const response = await fetch(url + path, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body && JSON.stringify(body),
  });
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status}`);
};
/** The likes slots of the HAProxy at `runtime` that carry an instance (not parked at 127.0.0.1:1). */
const filled = async (runtime) =>
  (await serverStats(runtime, 'likes')).filter((server) => server.addr !== '127.0.0.1:1');
const upEverywhere = async (targets, address) =>
  (
    await Promise.all(
      targets.map(async (t) =>
        (await filled(t.ports.runtime)).some((s) => s.addr === address && s.status.startsWith('UP')),
      ),
    )
  ).every(Boolean);
const percentile = (values, p) => [...values].sort((a, b) => a - b)[Math.ceil((p / 100) * values.length) - 1];
const fmt = (n, digits = 1) => n.toFixed(digits);

// Ten instances, registered and deregistered in turn.
const instances = [];
for (let i = 0; i < 10; i++) instances.push(await listen(createServer((_req, res) => res.end('ok'))));

const pushRows = [];
for (const count of TARGETS) {
  const targets = [];
  for (let i = 0; i < count; i++) targets.push(await haproxy(16));
  const reg = await registry(targets);
  const answers = [];
  const visible = [];
  for (let i = 0; i < REGISTRATIONS; i++) {
    const port = instances[i % instances.length];
    const sent = performance.now();
    await send(reg.url, '/services', 'POST', { service_name: 'likes', url: `http://${at(port)}` });
    answers.push(performance.now() - sent);
    while (!(await upEverywhere(targets, at(port)))) await new Promise((r) => setImmediate(r));
    visible.push(performance.now() - sent);
    await send(reg.url, `/services/likes/instances/${at(port)}`, 'DELETE');
  }
  pushRows.push({ count, answers, visible });
  await reg.child.stop('SIGTERM', 5_000);
  await Promise.all(targets.map((t) => t.child.stop('SIGKILL', 1_000)));
}

// 1 000 slots on one HAProxy, filled through registrations of 1 000 passing instances: one server on
// every loopback address answers for all of them (127.0.1.1:P … 127.0.4.250:P). They must pass the
// registry's first check round: a critical instance keeps a slot it has but is never given one, so a
// restarted HAProxy would get back only the passing ones.
const everyone = createServer((_req, res) => res.end('{"status":"ok"}'));
const everyonePort = await new Promise((resolve) =>
  everyone.listen(0, '0.0.0.0', () => resolve(everyone.address().port)),
);
const big = await haproxy(SLOTS);
const reg = await registry([big], { HAPROXY_PROBE_MS: '100' });
const loopback = (i) => `127.0.${1 + Math.floor(i / 250)}.${1 + (i % 250)}:${everyonePort}`;
for (let i = 0; i < SLOTS; i += 50) {
  await Promise.all(
    Array.from({ length: 50 }, (_, j) =>
      send(reg.url, '/services', 'POST', { service_name: 'likes', url: `http://${loopback(i + j)}` }),
    ),
  );
}
await waitFor('1000 slots filled', async () => (await filled(big.ports.runtime)).length === SLOTS);
const reconciles = [];
for (let run = 0; run < 3; run++) {
  await big.child.stop('SIGKILL', 1_000);
  const restarted = await haproxy(SLOTS, big.ports);
  big.child = restarted.child;
  const started = performance.now();
  await waitFor(
    'the restarted HAProxy refilled',
    async () => (await filled(big.ports.runtime)).length === SLOTS,
  );
  reconciles.push(performance.now() - started);
}
stopAll();

console.log(`## Front doors: one registry, several HAProxies

${REGISTRATIONS} registrations per row, one at a time, each followed by its deregistration (not timed);
"visible" runs from the registration sent to every HAProxy's \`show stat\` listing the instance UP
(read right after the answer, which already waited for every push: target p99 ≤ 50 ms for 3).

| HAProxies | answer p50 ms | answer p99 ms | visible everywhere p50 ms | visible everywhere p99 ms |
|---:|---:|---:|---:|---:|
${pushRows
  .map(
    ({ count, answers, visible }) =>
      `| ${count} | ${fmt(percentile(answers, 50))} | ${fmt(percentile(answers, 99))} | ${fmt(percentile(visible, 50))} | ${fmt(percentile(visible, 99))} |`,
  )
  .join('\n')}

Full reconcile: an HAProxy with ${SLOTS} filled likes slots is killed and started again on the same
ports; from its Runtime API listening to all ${SLOTS} slots filled again, the registry probing every
100 ms (\`HAPROXY_PROBE_MS\`; 1 s by default adds up to a second of noticing): ${reconciles.map((ms) => `${fmt(ms, 0)} ms`).join(', ')} (target ≤ 1 s).
`);
process.exit(0);
