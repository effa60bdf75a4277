// Where one likes instance spends its CPU under wrk (not a benchmark: no baseline, no target): a V8
// CPU profile of the app during one run of `like` or `top`, as self time by package and by function.
// It is how the per-request cost was taken apart (issue 27's notes); bench/polls.bench.mjs profiles
// its two servers the same way at its end.
//
//   npm run build && bin/node bench/profile-likes.mjs [--operation top|like] [--duration 5] [--connections 32]
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLikesApp, startLikesStores, stopAll } from './processes.mjs';
import { selfTime, startProfiler, stopProfiler } from './cpu-profile.mjs';
import { likesLoadOptions, wrk } from './wrk.mjs';

const { operation = 'top', ...opts } = likesLoadOptions({ operation: { type: 'string' } });
const dir = mkdtempSync(join(tmpdir(), 'chirp-profile-'));
const common = await startLikesStores(dir, Number(opts.posts));
const file = process.env.KEEP_PROFILE ?? join(dir, 'likes.cpuprofile');
const app = await startLikesApp('likes', {
  ...common,
  NODE_OPTIONS: `--require ${join(process.cwd(), 'bench/cpu-profiler.js')}`,
  CPU_PROFILE_FILE: file,
});
const load = (run) =>
  operation === 'like'
    ? [
        `http://127.0.0.1:${app.port}`,
        { script: 'bench/wrk/like.lua', env: { POSTS: opts.posts, USER_PREFIX: `p${run}x` } },
      ]
    : [`http://127.0.0.1:${app.port}/top/likes`, { headers: ['cache-control: no-cache'] }];
const settings = { connections: Number(opts.connections) };

await wrk(...withSettings(load(0), 3 * Number(opts.warmup)));
startProfiler(app.pid, file);
const run = await wrk(...withSettings(load(1), Number(opts.duration)));
await stopProfiler(app.pid, file);
stopAll();

function withSettings([url, options], duration) {
  return [url, { ...options, ...settings, duration }];
}

const { busy, byPackage, byFunction } = selfTime(file);
const share = (n) => `${((n / busy) * 100).toFixed(1)}%`;
const top = (map, n) => [...map].sort((a, b) => b[1] - a[1]).slice(0, n);
console.log(`## likes \`${operation}\`: ${run.rps.toFixed(0)} req/s, ${busy} busy samples\n`);
console.log('| package | self time |\n|---|---:|');
for (const [name, n] of top(byPackage, 25)) console.log(`| ${name} | ${share(n)} |`);
console.log('\n| function | self time |\n|---|---:|');
for (const [name, n] of top(byFunction, 40)) console.log(`| ${name} | ${share(n)} |`);
process.exit(0);
