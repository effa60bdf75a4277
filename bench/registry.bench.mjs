// Registry benchmark: one health-check round over many instances, some of which hang.
// Prints a Markdown section (round time against the check timeout, registry memory).
// Usage: bin/node bench/registry.bench.mjs [instances=1000] [hung=100]
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, start, stopAll, waitFor } from './processes.mjs';

const total = Number(process.argv[2] ?? 1000);
const hung = Number(process.argv[3] ?? 100);
const TIMEOUT_MS = 2000;
const INTERVAL_MS = 4000;

const listen = (server) =>
  new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));
const fleet = [];
for (let i = 0; i < total; i++) {
  const hangs = i < hung;
  const server = createServer((req, res) => (hangs ? undefined : res.end('ok')));
  fleet.push({ server, port: await listen(server) });
}

const registryPort = await freePort();
const db = join(mkdtempSync(join(tmpdir(), 'chirp-bench-')), 'registry.db');
const registry = start('registry', process.execPath, ['dist/apps/registry/main.js'], {
  PORT: String(registryPort),
  REGISTRY_DB_PATH: db,
  HAPROXY_RUNTIME_ADDR: '',
  HEALTH_CHECK_INTERVAL_MS: String(INTERVAL_MS),
  HEALTH_CHECK_TIMEOUT_MS: String(TIMEOUT_MS),
  HEALTH_FAILURES_BEFORE_PRUNE: '1000000',
  LOG_LEVEL: 'error',
});
const base = `http://127.0.0.1:${registryPort}`;
await waitFor('registry', async () => (await fetch(`${base}/health-check`)).ok);

const registerStart = performance.now();
for (let i = 0; i < fleet.length; i += 50) {
  await Promise.all(
    fleet.slice(i, i + 50).map(({ port }) =>
      fetch(`${base}/services`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ service_name: 'likes', url: `http://127.0.0.1:${port}` }),
      }).then((r) => r.arrayBuffer()),
    ),
  );
}
const registerMs = performance.now() - registerStart;

const rss = () =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${registry.pid}/status`, 'utf8'))[1]) / 1024;
const rounds = [];
while (rounds.length < 3) {
  await sleep(500);
  const body = await (await fetch(`${base}/rounds?limit=10`)).json();
  rounds.splice(0, rounds.length, ...body.rounds.filter((r) => r.finished_at && r.checked === total + 1));
}
const memoryMb = rss();
stopAll();
registry.signal('SIGTERM');
fleet.forEach(({ server }) => server.close());

const durations = rounds.map((r) => r.duration_ms).sort((a, b) => a - b);
const median = durations[Math.floor(durations.length / 2)];
console.log(`## Registry: one health-check round

${total} registered instances (+ the registry itself), ${hung} of which never answer; check timeout ${TIMEOUT_MS} ms, concurrency cap 256 (the default).

| measure | value |
|---|---|
| round time, median of ${durations.length} rounds | ${median} ms |
| round time / check timeout | ${(median / TIMEOUT_MS).toFixed(2)}× |
| registering ${total} instances (50 concurrent) | ${Math.round(registerMs)} ms (${Math.round((total / registerMs) * 1000)}/s) |
| registry RSS after the rounds | ${memoryMb.toFixed(0)} MiB |
`);
process.exit(0);
