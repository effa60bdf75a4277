// Cold start: `bin/start.sh` (what `npm start` runs after its installs and build: bin/init.sh, then
// foreman start) until every instance of the formation serves through HAProxy, twice: on an empty
// Redis, and on one seeded with 1 000 000 likes by 200 000 users (what a benchmark leaves). Then one
// likes instance (`node dist/apps/likes/main.js`) until its /health-check answers, on the seeded Redis.
// Uses the development stack's ports and var/, like `npm start`: var/redis is set aside for the run and
// put back at the end. Refuses to run while something answers on :5500.
// Usage: npm run build && bin/node bench/cold-start.mjs
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import Redis from 'ioredis';
import { freePort, listening, start, stopAll, waitFor } from './processes.mjs';

const REDIS_PORT = Number(process.env.REDIS_PORT ?? 6390);
const USERS = 200_000;
const LIKES_EACH = 5;
const POSTS = 300;

const get = async (url) => {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
    return { status: response.status, body: await response.json().catch(() => undefined) };
  } catch {
    return { status: 0 };
  }
};
if ((await get('http://127.0.0.1:5500/services')).status !== 0) {
  console.error('cold-start: something already answers on :5500; stop the running stack first');
  process.exit(1);
}

/** `bin/start.sh` until every instance serves; the time of each milestone, in ms. */
async function startStack() {
  const started = performance.now();
  const stack = spawn('bash', ['bin/start.sh'], { detached: true, stdio: 'ignore' });
  const marks = {};
  const mark = (name) => (marks[name] ??= Math.round(performance.now() - started));
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    const { body } = await get('http://127.0.0.1:5500/services');
    const passing = (name) =>
      (body?.services ?? []).filter((s) => s.service_name === name && s.status === 'passing').length;
    if (passing('registry') >= 1) mark('registry');
    if (passing('likes') >= 3 && passing('polls') >= 3) mark('all registered');
    if (marks['all registered']) {
      const [likes, polls] = await Promise.all([
        get('http://127.0.0.1:5100/health-check'),
        get('http://127.0.0.1:5400/health-check'),
      ]);
      if (likes.status === 200 && polls.status === 200) {
        mark('serving');
        break;
      }
    }
    await sleep(200);
  }
  process.kill(-stack.pid, 'SIGINT');
  await new Promise((resolve) => stack.on('exit', resolve));
  await waitFor('the stack stopped', async () => !(await listening(REDIS_PORT)));
  return marks;
}

/** Redis as the Procfile runs it, on var/redis. */
async function procfileRedis() {
  const redis = start('redis', 'redis-server', [
    ...['--port', String(REDIS_PORT), '--bind', '127.0.0.1', '--dir', 'var/redis'],
    ...['--appendonly', 'yes', '--appendfsync', 'everysec', '--save', ''],
  ]);
  await waitFor('redis', () => listening(REDIS_PORT));
  return redis;
}

// 1 000 000 likes written as the app writes them (likers, versions, both indexes, and the layout
// `--init` records), in one script per 10 000 users.
const SEED = `
local first, last, likes, posts = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
for u = first, last do
  local user = 'u' .. u
  for k = 0, likes - 1 do
    local post = (u * 7 + k * 61) % posts + 1
    local member = string.format('%012d', post)
    local at = 1700000000000 + u
    redis.call('ZADD', 'likes:{post:' .. post .. '}:likers', at, user)
    local version = redis.call('INCR', 'likes:{post:' .. post .. '}:version')
    redis.call('ZADD', 'likes:{user:' .. user .. '}:posts', at, member)
    redis.call('HSET', 'likes:{user:' .. user .. '}:versions', member, version)
    redis.call('ZINCRBY', 'likes:{top}:posts', 1, member)
    redis.call('HSET', 'likes:{top}:versions', member, version)
  end
end
redis.call('SET', 'likes:{meta}:layout', '2')
return 1
`;

async function seed() {
  const redis = await procfileRedis();
  const client = new Redis(REDIS_PORT, '127.0.0.1');
  for (let first = 1; first <= USERS; first += 10_000) {
    await client.eval(SEED, 0, first, Math.min(first + 9_999, USERS), LIKES_EACH, POSTS);
  }
  const keys = await client.dbsize();
  // Compacted as Redis does by itself once its AOF has doubled (auto-aof-rewrite-percentage 100):
  // a store that a benchmark filled over minutes has been rewritten many times.
  // (Redis may have started one by itself already.)
  await client.bgrewriteaof().catch((error) => {
    if (!/already in progress/.test(error.message)) throw error;
  });
  await waitFor('the AOF rewritten', async () =>
    /aof_rewrite_in_progress:0[\s\S]*aof_rewrite_scheduled:0/.test(await client.info('persistence')),
  );
  client.disconnect();
  await redis.stop('SIGTERM', 30_000);
  // As an earlier `--init` on this store recorded it (a benchmark fills a store npm start made).
  writeFileSync('var/redis/chirp-layout', '2\n');
  return keys;
}

/** One likes instance on the seeded Redis until /health-check answers 200, in ms; the median of 3. */
async function instanceBoot() {
  const redis = await procfileRedis();
  const times = [];
  for (let i = 0; i < 3; i++) {
    const port = await freePort();
    const began = performance.now();
    const app = start('likes', process.execPath, ['dist/apps/likes/main.js'], {
      PORT: String(port),
      REDIS_URL: `redis://127.0.0.1:${REDIS_PORT}`,
      POSTS_DB_PATH: 'var/posts.db',
      REGISTRY_URL: 'http://127.0.0.1:9',
      LOG_LEVEL: 'error',
      NODE_ENV: 'production',
    });
    await waitFor(
      'likes healthy',
      async () => (await get(`http://127.0.0.1:${port}/health-check`)).status === 200,
    );
    times.push(performance.now() - began);
    await app.stop('SIGKILL', 1_000);
  }
  await redis.stop('SIGTERM', 30_000);
  return times.sort((a, b) => a - b)[1];
}

// var/redis is the developer's: set aside, and put back whatever happens.
const kept = existsSync('var/redis') ? `var/redis.cold-start-${Date.now()}` : null;
if (kept) renameSync('var/redis', kept);
const fresh = () => {
  rmSync('var/redis', { recursive: true, force: true });
  mkdirSync('var/redis', { recursive: true });
};
let empty, seeded, keys, boot;
try {
  fresh();
  empty = await startStack();
  fresh();
  keys = await seed();
  seeded = await startStack();
  boot = await instanceBoot();
} finally {
  stopAll();
  rmSync('var/redis', { recursive: true, force: true });
  if (kept) renameSync(kept, 'var/redis');
}

const names = ['registry', 'all registered', 'serving'];
const cell = (marks, name) =>
  marks[name] === undefined ? 'not reached' : `${(marks[name] / 1000).toFixed(1)} s`;
console.log(`## Cold start

\`bin/start.sh\` (bin/init.sh, then foreman with redis, dynamodb, haproxy, registry, likes×3, polls×3, prometheus) until
every instance serves through HAProxy; the build is done beforehand, as \`npm start\` does it first. Once on
an empty Redis, once on one seeded with ${(USERS * LIKES_EACH).toLocaleString('en')} likes by ${USERS.toLocaleString('en')} users
(${keys.toLocaleString('en')} keys), as the app writes them. Target: serving within 8 s whatever Redis holds.

| reached | empty Redis | seeded Redis |
|---|---|---|
${names.map((name) => `| ${name} | ${cell(empty, name)} | ${cell(seeded, name)} |`).join('\n')}

One likes instance, \`node dist/apps/likes/main.js\` until its /health-check answers 200, on the seeded
Redis (median of 3; target ≤ 1 s): ${(boot / 1000).toFixed(2)} s.
`);
process.exit(empty.serving && seeded.serving ? 0 : 1);
