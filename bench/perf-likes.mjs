// Where a likes instance's CPU goes beside the bare baseline's, per request (not a benchmark: no target).
// Linux perf samples each process's whole CPU (kernel, V8's builtins, the garbage collector, JIT code),
// where V8's own sampler (bench/profile-likes.mjs) sees JavaScript frames only; each sample is charged
// to the innermost JavaScript function on its stack (native code and the kernel below it included),
// named through the bundle's source map, so a package's figure is what calling it costs. It is how the
// last few µs of issue 27 were found (fast-json-stringify's concatenated strings flattened again to be
// written). Needs Debian's linux-perf (`apt-get install linux-perf`) and perf_event_paranoid ≤ 2.
//
//   npm run build && bin/node bench/perf-likes.mjs [--operation top|like] [--duration 5] [--rounds 2]
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLikesApp, startLikesBaseline, startLikesStores, stopAll } from './processes.mjs';
import { likesLoadOptions, wrk } from './wrk.mjs';

const { operation = 'top', ...opts } = likesLoadOptions({ operation: { type: 'string' } });
const rounds = Number(opts.rounds);
try {
  execFileSync('perf', ['--version']);
} catch {
  console.error('perf-likes: no perf here; apt-get install linux-perf');
  process.exit(2);
}
const frameOwners = new Map(); // a perf frame's text -> `package function`, or null for native code
const maps = new Map(); // a bundle -> its source map
const dir = mkdtempSync(join(tmpdir(), 'chirp-perf-'));
const stores = await startLikesStores(dir, Number(opts.posts));
const env = { ...stores, NODE_OPTIONS: '--perf-basic-prof-only-functions' }; // names JIT code for perf
const app = await startLikesApp('likes', env);
const base = await startLikesBaseline(env);
const servers = [
  { name: 'nest', port: app.port, pid: app.pid },
  { name: 'baseline', port: base.port, pid: base.pid },
];

const load = (server, run) =>
  operation === 'like'
    ? [
        `http://127.0.0.1:${server.port}`,
        { script: 'bench/wrk/like.lua', env: { POSTS: opts.posts, USER_PREFIX: `${server.name}${run}x` } },
      ]
    : [`http://127.0.0.1:${server.port}/top/likes`, {}];
const settings = { connections: Number(opts.connections) };
// The top list needs likes: a short like run on the app first.
await wrk(...withSettings(load({ ...servers[0], name: 'seed' }, 0), Number(opts.warmup)));

const totals = new Map(
  servers.map((s) => [s.name, { requests: 0, owners: new Map(), samples: 0, periodNs: 0 }]),
);
for (let round = 1; round <= rounds; round++) {
  for (const server of servers) {
    await wrk(...withSettings(load(server, `w${round}`), Number(opts.warmup)));
    const data = join(dir, `${server.name}-${round}.data`);
    const recorder = spawn(
      'perf',
      ['record', '-g', '-e', 'cpu-clock', '-F', '2000', '-p', String(server.pid), '-o', data],
      { stdio: 'ignore' },
    );
    const run = await wrk(...withSettings(load(server, `r${round}`), Number(opts.duration)));
    recorder.kill('SIGINT');
    await new Promise((resolve) => recorder.on('exit', resolve));
    const total = totals.get(server.name);
    total.requests += run.rps * Number(opts.duration);
    chargeSamples(data, total);
  }
}
stopAll();

const perRequest = (total, samples) => (samples * total.periodNs) / 1e3 / total.requests;
const [nest, baseline] = servers.map((s) => totals.get(s.name));
console.log(`## likes \`${operation}\`: CPU per request by who called it (perf, ${rounds} rounds)\n`);
console.log(
  `nest ${perRequest(nest, nest.samples).toFixed(1)} µs, baseline ${perRequest(baseline, baseline.samples).toFixed(1)} µs\n`,
);
const byPackage = (owners) => {
  const sums = new Map();
  for (const [name, n] of owners) {
    const pkg = name.startsWith('(') ? name : name.split(' ')[0];
    sums.set(pkg, (sums.get(pkg) ?? 0) + n);
  }
  return sums;
};
table('package', byPackage(nest.owners), byPackage(baseline.owners), 15);
table('function', nest.owners, baseline.owners, 30);
process.exit(0);

/** Rows charged to each name, nest beside baseline, the largest differences first. */
function table(what, a, b, count) {
  console.log(`\n| ${what} | nest µs | baseline µs | nest − baseline |\n|---|---:|---:|---:|`);
  const rows = [...new Set([...a.keys(), ...b.keys()])].map((name) => [
    name,
    perRequest(nest, a.get(name) ?? 0),
    perRequest(baseline, b.get(name) ?? 0),
  ]);
  for (const [name, x, y] of rows
    .sort((p, q) => Math.abs(q[1] - q[2]) - Math.abs(p[1] - p[2]))
    .slice(0, count))
    console.log(`| ${name} | ${x.toFixed(2)} | ${y.toFixed(2)} | ${(x - y).toFixed(2)} |`);
}

function withSettings([url, options], duration) {
  return [url, { ...options, ...settings, duration }];
}

/** Adds each sample in `data` to the package (and function) of the innermost JavaScript frame on its stack. */
function chargeSamples(data, total) {
  const script = execFileSync('perf', ['script', '-i', data], { maxBuffer: 1 << 30 }).toString();
  for (const block of script.split('\n\n')) {
    const lines = block.split('\n').filter(Boolean);
    const head = /(\d+) cpu-clock/.exec(lines[0] ?? '');
    if (!head) continue;
    total.periodNs = Number(head[1]);
    total.samples++;
    let owner = null;
    for (const frame of lines.slice(1)) if ((owner = ownerOf(frame))) break;
    owner ??= '(no JavaScript on the stack: event loop, GC, kernel)';
    total.owners.set(owner, (total.owners.get(owner) ?? 0) + 1);
  }
}

/** `package function` of a perf frame of JIT code (`JS:*name file:line:column+0x…`), or null for native code. */
function ownerOf(frame) {
  if (frameOwners.has(frame)) return frameOwners.get(frame);
  let owner = null;
  const at = /JS:[*~^+]?'?(.*?) ?(\S+):(\d+):(\d+)\+0x/.exec(frame);
  if (at) {
    const [, name, url, line, column] = at;
    const file = url.startsWith('file:') ? fileURLToPath(url) : url; // ES modules are named by URL
    // Only Chirp's bundle is mapped back to its sources; a package's own dist/ is named by its path.
    const bundled = file.includes('/dist/') && !file.includes('/node_modules/');
    const source = bundled ? originalSource(file, Number(line), Number(column)) : file;
    const pkg =
      /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(source)?.[1] ??
      (source.startsWith('node:')
        ? source.split('/')[0]
        : /\/(apps|libs)\//.test(source)
          ? 'chirp'
          : source.replace(/.*\//, ''));
    owner = `${pkg} ${name || '(anonymous)'}`;
  } else if (frame.includes('JS:')) owner = '(JIT code without a source: compiled serializers, regexps)';
  frameOwners.set(frame, owner);
  return owner;
}

function originalSource(file, line, column) {
  if (!maps.has(file)) maps.set(file, new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8'))));
  return maps.get(file).findEntry(line - 1, column - 1)?.originalSource ?? file;
}
