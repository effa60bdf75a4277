// What being a likes process costs the same code, apart from any per-request work (not a benchmark:
// no target; it explains likes.bench's nest/baseline). The bare baseline's code is served three ways,
// on new processes each round, pairs measured in turns (bench/interleave.mjs):
// - alone (bench/baseline-likes.mjs), as likes.bench measures it;
// - from inside an idle likes instance (bench/in-app-baseline.mjs): the same code, a Nest app's process;
// - and the likes instance itself, for the whole gap in the same rounds.
// nest/alone = (inside/alone: the process) × (nest/inside: the framework's work per request).
//
//   npm run build && bin/node bench/process-cost.mjs [--rounds 4] [--duration 8] [--warmup 2] [--slice 200]
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { interleaved } from './interleave.mjs';
import {
  freePort,
  listening,
  retire,
  startLikesApp,
  startLikesBaseline,
  startLikesStores,
  stopAll,
  waitFor,
} from './processes.mjs';
import { median } from './stats.mjs';
import { likesLoadOptions, likesLoads, wrk } from './wrk.mjs';

const opts = likesLoadOptions({
  duration: { type: 'string', default: '8' },
  warmup: { type: 'string', default: '2' },
  rounds: { type: 'string', default: '4' },
  slice: { type: 'string', default: '200' },
});
const POSTS = Number(opts.posts);
const CONNECTIONS = Number(opts.connections);
const dir = mkdtempSync(join(tmpdir(), 'chirp-process-cost-'));
const common = await startLikesStores(dir, POSTS);

const baselineAlone = () => startLikesBaseline(common);
/** A likes instance with the baseline served beside it; `app` is the instance's own port. */
async function likesWithBaseline() {
  const port = await freePort();
  const app = await startLikesApp('likes-hosting-baseline', {
    ...common,
    BASELINE_PORT: String(port),
    NODE_OPTIONS: `--import ${join(process.cwd(), 'bench/in-app-baseline.mjs')}`,
  });
  await waitFor('the baseline in a likes instance', () => listening(port));
  return { port, pid: app.pid, child: app.child, app: app.port };
}

const operations = likesLoads(POSTS, 'c');
const withLoad = ([url, options], duration) => [url, { ...options, connections: CONNECTIONS, duration }];

const seed = await baselineAlone(); // the top list needs likes
await wrk(...withLoad(operations.like(seed), Number(opts.warmup)));
await retire(seed.child);

console.log(`## What a likes process costs the same code

The baseline's code alone, the same code served from inside an idle likes instance, and the instance
itself; ${opts.rounds} rounds on new processes, pairs measured for ${opts.duration} s in turns of ${opts.slice} ms; wrk, ${CONNECTIONS} connections.

| round | operation | inside / alone | nest / alone | nest / inside |
|---|---|---:|---:|---:|`);
const ratios = { like: [], top: [] };
for (let round = 1; round <= Number(opts.rounds); round++) {
  const host = await likesWithBaseline();
  const alone = await baselineAlone();
  const inside = { port: host.port, pid: host.pid };
  const nest = { port: host.app, pid: host.pid };
  for (const operation of ['like', 'top']) {
    for (const server of [alone, inside, nest])
      await wrk(...withLoad(operations[operation](server), Number(opts.warmup)));
    const settings = {
      seconds: Number(opts.duration),
      sliceMs: Number(opts.slice),
      connections: CONNECTIONS,
    };
    // The instance and the baseline inside it share a process: each is paired with the baseline alone.
    const [i, a1] = await interleaved([inside, alone], operations[operation], settings);
    const [n, a2] = await interleaved([nest, alone], operations[operation], settings);
    const r = { inside: i.rps / a1.rps, nest: n.rps / a2.rps };
    ratios[operation].push(r);
    console.log(
      `| ${round} | ${operation} | ${r.inside.toFixed(3)} | ${r.nest.toFixed(3)} | ${(r.nest / r.inside).toFixed(3)} |`,
    );
  }
  await retire(host.child);
  await retire(alone.child);
}
console.log(
  '\n| operation | inside / alone (the process) | nest / alone (all) | nest / inside (per request) |\n|---|---:|---:|---:|',
);
for (const operation of ['like', 'top']) {
  const rs = ratios[operation];
  console.log(
    `| ${operation} | ${median(rs.map((r) => r.inside)).toFixed(3)}x | ${median(rs.map((r) => r.nest)).toFixed(3)}x | ` +
      `${median(rs.map((r) => r.nest / r.inside)).toFixed(3)}x |`,
  );
}
console.log(`\nMedians of the per-round ratios; Node ${process.version}.`);
stopAll();
process.exit(0);
