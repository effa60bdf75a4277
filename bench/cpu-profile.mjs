// Reads a V8 CPU profile (bench/cpu-profiler.js) as shares of the process's busy time.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';

/** Starts the profiler preloaded into `pid`; its profile will be written to `file`. */
export function startProfiler(pid, file) {
  rmSync(file, { force: true });
  process.kill(pid, 'SIGUSR2');
}

/** Stops the profiler started by {@link startProfiler} and waits until `file` holds the profile. */
export async function stopProfiler(pid, file) {
  process.kill(pid, 'SIGUSR2');
  for (let i = 0; i < 100 && !existsSync(file); i++) await sleep(100);
  if (!existsSync(file)) throw new Error(`no CPU profile from pid ${pid} in ${file}`);
}

/**
 * The share of the profile's busy samples (idle left out; GC and native code in) spent in code that
 * `owns` a frame (given its function name, script URL, and whether it is the sample's innermost), and
 * those samples by function. A sample belongs to the nearest owned frame on its stack unless a
 * `passes` frame (a callback that hands control back, such as a hook's `done`) comes first: what runs
 * after a hook calls `done()` is not the hook's.
 */
export function shareOf(file, owns, passes) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  if (profile.error) throw new Error(`profiler: ${profile.error}`);
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id);
  const owner = new Map(); // node id -> owning function name, or null
  const ownerOf = (id, leaf = false) => {
    if (!leaf && owner.has(id)) return owner.get(id);
    const { functionName } = nodes.get(id).callFrame;
    const url = sourceOf(nodes.get(id).callFrame);
    let result = null;
    if (owns(functionName, url, leaf)) result = functionName || url.replace(/.*node_modules\//, '');
    else if (!passes(functionName, url) && parent.has(id)) result = ownerOf(parent.get(id));
    if (!leaf) owner.set(id, result);
    return result;
  };
  let busy = 0;
  let owned = 0;
  const byFunction = {};
  for (const id of profile.samples) {
    if (nodes.get(id).callFrame.functionName === '(idle)') continue;
    busy++;
    const name = ownerOf(id, true);
    if (name === null) continue;
    owned++;
    byFunction[name] = (byFunction[name] ?? 0) + 1;
  }
  return { share: owned / busy, samples: busy, byFunction };
}

const maps = new Map();

/**
 * Where a profiled frame's code came from. The build bundles node_modules into each app's main.js,
 * so a frame there is named by the bundle's source map (`.../node_modules/fastify/lib/hooks.js`).
 */
export function sourceOf({ url, lineNumber, columnNumber }) {
  if (!url.includes('/dist/')) return url;
  const file = `${url.replace(/^file:\/\//, '')}.map`;
  if (!maps.has(file)) {
    maps.set(file, existsSync(file) ? new SourceMap(JSON.parse(readFileSync(file, 'utf8'))) : null);
  }
  return maps.get(file)?.findEntry(lineNumber, columnNumber)?.originalSource ?? url;
}

/**
 * Self time by package (or Node's internals, or native code) and by function, from the profile in
 * `file`: each busy sample goes to its innermost frame. `busy` counts the samples that were not idle.
 */
export function selfTime(file) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const counts = new Map();
  for (const id of profile.samples) counts.set(id, (counts.get(id) ?? 0) + 1);
  const byPackage = new Map();
  const byFunction = new Map();
  let busy = 0;
  for (const [id, count] of counts) {
    const frame = nodes.get(id).callFrame;
    if (frame.functionName === '(idle)') continue;
    busy += count;
    const pkg = packageOf(sourceOf(frame), frame.functionName);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + count);
    const name = `${frame.functionName || '(anonymous)'} ${pkg}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + count);
  }
  return { busy, byPackage, byFunction };
}

function packageOf(url, functionName) {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const inModules = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (inModules) return inModules[1];
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  if (url.includes('/dist/') || /\/(apps|libs)\//.test(url)) return 'chirp';
  return url;
}
