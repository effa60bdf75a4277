// Registry benchmark, on both stores in the same run (SQLite, then DynamoDB Local): registrations per
// second at concurrency 16; one health-check round's time over many instances (some of which hang);
// and failover, kill -9 of the leader to the first round by the other registry.
// Prints a Markdown section.
// Usage: bin/node bench/registry.bench.mjs [instances=1000,10000] [hung=100]
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, start, waitFor } from './processes.mjs';

const sizes = (process.argv[2] ?? '1000,10000').split(',').map(Number);
const hung = Number(process.argv[3] ?? 100);
const TIMEOUT_MS = 2000;
const INTERVAL_MS = 4000;
const LEASE_MS = 3000;
const CONCURRENCY = 16;

// The fleet: one bare server per instance (a hundred of them never answer their check).
const listen = (server) =>
  new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));
const fleet = [];
for (let i = 0; i < Math.max(...sizes); i++) {
  const hangs = i < hung;
  const server = createServer((req, res) => (hangs ? undefined : res.end('ok')));
  fleet.push({ server, port: await listen(server) });
}

const dynamoPort = await freePort();
const dynamodb = start('dynamodb', 'bash', [
  'bin/dynamodb-local.sh',
  '-port',
  String(dynamoPort),
  '-inMemory',
]);
await waitFor(
  'DynamoDB Local',
  async () => (await fetch(`http://127.0.0.1:${dynamoPort}`).catch(() => null)) !== null,
);

let table = 0;
/** The environment of a registry on `store`, fresh (its own SQLite file or DynamoDB table). */
function storeEnv(store) {
  table++;
  return store === 'sqlite'
    ? {
        REGISTRY_STORE: 'sqlite',
        REGISTRY_DB_PATH: join(mkdtempSync(join(tmpdir(), 'chirp-bench-')), 'registry.db'),
      }
    : {
        REGISTRY_STORE: 'dynamodb',
        REGISTRY_TABLE: `registry-${table}`,
        DYNAMODB_ENDPOINT: `http://127.0.0.1:${dynamoPort}`,
        DYNAMODB_PORT: String(dynamoPort),
      };
}

async function startRegistry(env) {
  const port = await freePort();
  const common = {
    PORT: String(port),
    HAPROXY_RUNTIME_ADDR: '',
    HEALTH_CHECK_INTERVAL_MS: String(INTERVAL_MS),
    HEALTH_CHECK_TIMEOUT_MS: String(TIMEOUT_MS),
    HEALTH_FAILURES_BEFORE_PRUNE: '1000000',
    REGISTRY_LEASE_MS: String(LEASE_MS),
    LOG_LEVEL: 'error',
    ...env,
  };
  const init = start(
    `init ${env.REGISTRY_STORE}`,
    process.execPath,
    ['dist/apps/registry/main.js', '--init'],
    common,
  );
  await init.exited();
  const child = start(
    `registry ${env.REGISTRY_STORE}`,
    process.execPath,
    ['dist/apps/registry/main.js'],
    common,
  );
  const base = `http://127.0.0.1:${port}`;
  await waitFor(
    'registry',
    async () => (await fetch(`${base}/health-check`).catch(() => ({ ok: false }))).ok,
  );
  return { child, base };
}

const rounds = async (base, limit = 20) =>
  (await (await fetch(`${base}/rounds?limit=${limit}`)).json()).rounds;

/** Registers `instances` of the fleet at CONCURRENCY; returns registrations per second. */
async function register(base, instances) {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < instances) {
        const { port } = fleet[next++];
        const answer = await fetch(`${base}/services`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ service_name: 'likes', url: `http://127.0.0.1:${port}` }),
        });
        await answer.arrayBuffer();
        if (answer.status >= 300) throw new Error(`registration answered ${answer.status}`);
      }
    }),
  );
  return (instances / (performance.now() - started)) * 1000;
}

/** The median time of three finished rounds over all of `instances` (after the first, which writes every record once). */
async function roundTime(base, instances) {
  let done = [];
  await waitFor(
    '4 full rounds',
    async () => {
      done = (await rounds(base)).filter((r) => r.finished_at && r.checked === instances + 1);
      return done.length >= 4;
    },
    instances * 20 + 60_000,
  );
  const durations = done
    .slice(0, 3)
    .map((r) => r.duration_ms)
    .sort((a, b) => a - b);
  return durations[1];
}

/** kill -9 of the leader, to the first round another registry starts (a second registry on the same store). */
async function failover(env, leader) {
  const other = await startRegistry(env);
  const holderOf = async (base) => (await (await fetch(`${base}/health-check`)).json()).checker.holder;
  await waitFor('the first registry leading', async () =>
    (await holderOf(other.base))?.includes(`/${leader.child.pid}/`),
  );
  await sleep(LEASE_MS); // mid-lease, as a crash would find it
  const killedAt = Date.now();
  leader.child.signal('SIGKILL');
  let took = 0;
  await waitFor(
    'a round by the other registry',
    async () => {
      const round = (await rounds(other.base, 5)).find(
        (r) => !r.holder.includes(`/${leader.child.pid}/`) && Date.parse(r.started_at) >= killedAt,
      );
      if (round) took = Date.parse(round.started_at) - killedAt;
      return round;
    },
    LEASE_MS * 10,
  );
  other.child.signal('SIGTERM');
  await other.child.exited();
  return took;
}

const rss = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
const rows = [];
for (const store of ['sqlite', 'dynamodb']) {
  for (const instances of sizes) {
    const env = storeEnv(store);
    const registry = await startRegistry(env);
    process.stderr.write(`${store}: registering ${instances}\n`);
    const perSecond = await register(registry.base, instances);
    process.stderr.write(`${store}: rounds over ${instances}\n`);
    const round = await roundTime(registry.base, instances);
    const memoryMb = rss(registry.child.pid);
    const failoverMs = instances === sizes[0] ? await failover(env, registry) : undefined;
    registry.child.signal('SIGKILL');
    await registry.child.exited();
    const budget = TIMEOUT_MS + (store === 'sqlite' ? 1000 : 3000);
    rows.push(
      `| ${store} | ${instances} | ${Math.round(perSecond)}/s | ${round} ms (${round <= budget ? 'within' : '**over**'} ${budget} ms) | ` +
        `${failoverMs === undefined ? '' : `${(failoverMs / 1000).toFixed(2)} s`} | ${memoryMb.toFixed(0)} MiB |`,
    );
  }
}
dynamodb.signal('SIGTERM');
fleet.forEach(({ server }) => server.close());

console.log(`## Registry: both stores

Registrations through one registry's HTTP API at concurrency ${CONCURRENCY}; one health-check round over
every instance (+ the registry itself), ${hung} of which never answer (check timeout ${TIMEOUT_MS} ms,
concurrency cap 256, the default): its probes and its writes (HAProxy is off here, so no reconcile; a round
writes only what changed, here the ${hung} failures); the median of three rounds after the first.
Failover: a second registry on the same store, kill -9 of the leader mid-lease, to the first round the
other starts (lease ${LEASE_MS} ms, interval ${INTERVAL_MS} ms: the target is lease + interval, ${LEASE_MS + INTERVAL_MS} ms).
DynamoDB is DynamoDB Local (one Java process on this machine), not the service.

| store | instances | registrations | round (target: timeout + 1 s SQLite, + 3 s DynamoDB) | failover | registry RSS |
|---|---|---|---|---|---|
${rows.join('\n')}
`);
process.exit(0);
