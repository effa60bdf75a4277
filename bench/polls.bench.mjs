// Polls benchmark (not a test): vote and get-results throughput through HAProxy (the project's
// haproxy.cfg, the registry filling its polls backend with 3 instances) against a baseline that
// sends the same SDK operations (TransactWriteItems for a vote, GetItem for results) straight to
// the same DynamoDB Local from this one Node process, with as many requests in flight as
// autocannon has connections. Runs alternate (baseline, app) so drift hits both alike.
//
//   npm run build && node bench/polls.bench.mjs [--duration 10] [--warmup 3] [--connections 32] [--rounds 2] [--instances 3]
import { spawn, execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { values: opts } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    connections: { type: 'string', default: '32' },
    rounds: { type: 'string', default: '2' },
    instances: { type: 'string', default: '3' },
    cpu: { type: 'boolean', default: false },
  },
});
const duration = Number(opts.duration);
const connections = Number(opts.connections);

const children = [];
let stopping = false;
process.on('exit', () => children.forEach((c) => c.kill('SIGKILL')));

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = createServer().on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
const listening = (port) =>
  new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
async function waitFor(what, check, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}
/** CPU seconds used so far by each started process (children by name, and this process). */
function cpuSeconds() {
  const ticks = 100; // USER_HZ
  const used = { bench: process.cpuUsage().user / 1e6 + process.cpuUsage().system / 1e6 };
  for (const child of children) {
    try {
      const pids = [child.pid, ...descendants(child.pid)];
      for (const pid of pids) {
        const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
        used[child.label] = (used[child.label] ?? 0) + (Number(fields[11]) + Number(fields[12])) / ticks;
      }
    } catch {
      // exited
    }
  }
  return used;
}
function descendants(pid) {
  try {
    const kids = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean);
    return kids.flatMap((k) => [Number(k), ...descendants(Number(k))]);
  } catch {
    return [];
  }
}
const cpuDelta = (before, after) =>
  Object.entries(after)
    .map(([k, v]) => `${k} ${(v - (before[k] ?? 0)).toFixed(1)}s`)
    .join(', ');

function start(name, command, args, env = {}) {
  const child = spawn(command, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let errors = '';
  child.stderr.on('data', (d) => (errors = (errors + d).slice(-4000)));
  child.on(
    'exit',
    (code, signal) => !stopping && console.error(`${name} exited (${code ?? signal}):\n${errors}`),
  );
  child.label = name.split(' ')[0];
  children.push(child);
  return child;
}
const runtimeCommand = (port, command) =>
  new Promise((resolve, reject) => {
    let answer = '';
    const socket = connect({ host: '127.0.0.1', port }, () => socket.end(`${command}\n`));
    socket.on('data', (chunk) => (answer += chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(answer));
  });

// --- the stack: DynamoDB Local (in memory), HAProxy, registry, polls x N --------------------------
const [ddb, likes, pollsFront, registryFront, stats, runtime, registryPort] = await Promise.all(
  Array.from({ length: 7 }, freePort),
);
const endpoint = `http://127.0.0.1:${ddb}`;
start('dynamodb', 'bash', ['bin/dynamodb-local.sh', '-port', String(ddb), '-inMemory']);
const at = (port) => `127.0.0.1:${port}`;
start('haproxy', 'haproxy', ['-db', '-f', 'haproxy.cfg'], {
  HAPROXY_LIKES_ADDR: at(likes),
  HAPROXY_POLLS_ADDR: at(pollsFront),
  HAPROXY_REGISTRY_ADDR: at(registryFront),
  HAPROXY_STATS_ADDR: at(stats),
  HAPROXY_RUNTIME_ADDR: at(runtime),
});
await waitFor('dynamodb and haproxy', async () => (await listening(ddb)) && (await listening(runtime)));
const env = {
  DYNAMODB_ENDPOINT: endpoint,
  POLLS_TABLE: 'bench-polls',
  VOTES_TABLE: 'bench-votes',
  LOG_LEVEL: 'warn',
};
execFileSync(process.execPath, ['dist/apps/polls/main.js', '--init'], { env: { ...process.env, ...env } });
start('registry', process.execPath, ['dist/apps/registry/main.js'], {
  PORT: String(registryPort),
  REGISTRY_DB_PATH: join(mkdtempSync(join(tmpdir(), 'chirp-bench-')), 'registry.db'),
  HAPROXY_RUNTIME_ADDR: at(runtime),
  LOG_LEVEL: 'warn',
});
await waitFor('registry', () => listening(registryPort));
for (let i = 0; i < Number(opts.instances); i++) {
  start(`polls ${i}`, process.execPath, ['dist/apps/polls/main.js'], {
    ...env,
    PORT: String(await freePort()),
    REGISTRY_URL: `http://${at(registryPort)}`,
  });
}
await waitFor('polls instances UP in HAProxy', async () => {
  const stat = await runtimeCommand(runtime, 'show stat -1 4 -1');
  const up = stat.split('\n').filter((l) => l.startsWith('polls,') && l.split(',')[17] === 'UP');
  return up.length === Number(opts.instances);
});
const app = `http://${at(pollsFront)}`;

// --- the baseline: the same SDK operations from this process -------------------------------------
const db = DynamoDBDocumentClient.from(
  new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 2,
    requestHandler: { connectionTimeout: 1000, requestTimeout: 2000, throwOnRequestTimeout: true },
  }),
);
const CHOICES = ['red', 'green', 'blue'];
async function newPoll() {
  const response = await fetch(`${app}/polls`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ polls_title: 'Bench', username: 'bench', responses: CHOICES }),
  });
  return (await response.json()).polls_id;
}
const baselineVote = (pollsId, n) =>
  db.send(
    new TransactWriteCommand({
      ClientRequestToken: randomUUID(),
      TransactItems: [
        {
          Put: {
            TableName: env.VOTES_TABLE,
            Item: {
              polls_id: pollsId,
              username: `b${n}`,
              choice: CHOICES[n % 3],
              voted_at: new Date().toISOString(),
            },
            ConditionExpression: 'attribute_not_exists(polls_id)',
          },
        },
        {
          Update: {
            TableName: env.POLLS_TABLE,
            Key: { polls_id: pollsId },
            UpdateExpression: 'SET #counts.#choice = #counts.#choice + :one, #total = #total + :one',
            ConditionExpression: 'attribute_exists(#counts.#choice)',
            ExpressionAttributeNames: {
              '#counts': 'counts',
              '#choice': CHOICES[n % 3],
              '#total': 'total_votes',
            },
            ExpressionAttributeValues: { ':one': 1 },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        },
      ],
    }),
  );
const baselineResults = (pollsId) =>
  db.send(new GetCommand({ TableName: env.POLLS_TABLE, Key: { polls_id: pollsId }, ConsistentRead: true }));

/** Runs `op` with `connections` in flight for `seconds`; ops per second and errors. */
async function closedLoop(seconds, op) {
  const end = Date.now() + seconds * 1000;
  let done = 0;
  let errors = 0;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (Date.now() < end) {
        try {
          await op();
          done++;
        } catch {
          errors++;
        }
      }
    }),
  );
  return { rps: done / seconds, errors };
}

let sequence = 0;
async function cannon(seconds, request) {
  const result = await autocannon({
    url: app,
    connections,
    duration: seconds,
    requests: [request],
  });
  const bad = result.non2xx + result.errors + result.timeouts;
  return { rps: result.requests.total / seconds, errors: bad, p99: result.latency.p99 };
}
const appVote = (pollsId, seconds) =>
  cannon(seconds, {
    method: 'POST',
    path: `/polls/${pollsId}/votes`,
    headers: { 'content-type': 'application/json' },
    setupRequest: (req) => {
      const n = sequence++;
      return { ...req, body: JSON.stringify({ username: `a${n}`, choice: CHOICES[n % 3] }) };
    },
  });
const appResults = (pollsId, seconds) =>
  cannon(seconds, { method: 'GET', path: `/polls/${pollsId}/results` });

const basePoll = await newPoll();
const appPoll = await newPoll();
let baseSeq = 0;
const scenarios = {
  vote: {
    baseline: (seconds) => closedLoop(seconds, () => baselineVote(basePoll, baseSeq++)),
    app: (seconds) => appVote(appPoll, seconds),
  },
  results: {
    baseline: (seconds) => closedLoop(seconds, () => baselineResults(basePoll)),
    app: (seconds) => appResults(appPoll, seconds),
  },
};

console.log(
  `polls bench: ${opts.instances} instances behind HAProxy vs SDK direct; ${connections} in flight, ` +
    `${duration}s x ${opts.rounds} rounds (warm-up ${opts.warmup}s)`,
);
const summary = [];
for (const [name, runs] of Object.entries(scenarios)) {
  await runs.baseline(Number(opts.warmup));
  await runs.app(Number(opts.warmup));
  const totals = { baseline: 0, app: 0 };
  for (let round = 1; round <= Number(opts.rounds); round++) {
    let cpu = cpuSeconds();
    const base = await runs.baseline(duration);
    const baseCpu = cpuDelta(cpu, (cpu = cpuSeconds()));
    const through = await runs.app(duration);
    const appCpu = cpuDelta(cpu, cpuSeconds());
    totals.baseline += base.rps;
    totals.app += through.rps;
    console.log(
      `  ${name} round ${round}: baseline ${base.rps.toFixed(0)}/s (${base.errors} errors), ` +
        `app via HAProxy ${through.rps.toFixed(0)}/s (${through.errors} non-2xx/errors, p99 ${through.p99} ms)`,
    );
    if (opts.cpu) console.log(`    cpu during baseline: ${baseCpu}\n    cpu during app: ${appCpu}`);
  }
  summary.push({ name, ratio: totals.app / totals.baseline, ...totals });
}
for (const s of summary) {
  console.log(
    `${s.name}: app/baseline = ${s.ratio.toFixed(2)} (${(s.app / Number(opts.rounds)).toFixed(0)} vs ${(s.baseline / Number(opts.rounds)).toFixed(0)} req/s)`,
  );
}
stopping = true;
db.destroy();
process.exit(0);
