// The benchmarks' load generator: wrk (Debian's package), a C program that one thread drives at well
// over 20k req/s here, so the servers are what is measured. autocannon, in Node, saturated a core near
// 3k req/s on this 2-core machine and capped the app and the baseline alike.
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';

/**
 * The command-line options the likes benchmarks share (`--duration 5 --warmup 2 --connections 32
 * --rounds 3 --posts 10000`) and a script's `more`, as strings like parseArgs gives them.
 */
export const likesLoadOptions = (more = {}) =>
  parseArgs({
    options: {
      duration: { type: 'string', default: '5' },
      warmup: { type: 'string', default: '2' },
      connections: { type: 'string', default: '32' },
      rounds: { type: 'string', default: '3' },
      posts: { type: 'string', default: '10000' },
      ...more, // a benchmark's own options, and its own defaults for these
    },
  }).values;

/**
 * What the likes benchmarks send a server (`{ port }`), as wrk's `[url, options]`: `like`, the seed's
 * POST /new/likes, each request a new random user (each run's users new, so no run repeats a like)
 * on one of `posts` posts; `top`, GET /top/likes.
 */
export function likesLoads(posts, prefix) {
  let runs = 0;
  return {
    like: ({ port }) => [
      `http://127.0.0.1:${port}`,
      { script: 'bench/wrk/like.lua', env: { POSTS: String(posts), USER_PREFIX: `${prefix}${runs++}x` } },
    ],
    // Asked past HAProxy's cache elsewhere; directly there is none, and the header changes nothing.
    top: ({ port }) => [`http://127.0.0.1:${port}/top/likes`, { headers: ['cache-control: no-cache'] }],
  };
}

/** Above this share of one core, the generator may be what limits a run: its figures are flagged. */
export const GENERATOR_CPU_LIMIT = 0.8;

const units = { us: 1e-3, ms: 1, s: 1e3, m: 60e3 };
const millis = (text) => {
  const [, value, unit] = /^([\d.]+)(us|ms|s|m)$/.exec(text) ?? [];
  return value === undefined ? NaN : Number(value) * units[unit];
};

/**
 * Runs `wrk` with `args` for `duration` seconds over `connections` keep-alive connections (one
 * thread) and reads its report: req/s, p50 and p99 in ms, failures (non-2xx/3xx answers and socket
 * errors), and wrk's own CPU as a share of one core, read from the shell's `times` once it exits.
 */
export function wrk(url, { duration, connections, script, headers = [], env = {} }) {
  const args = ['-t1', `-c${connections}`, `-d${duration}s`, '--latency', '--timeout', '5s'];
  if (script) args.push('-s', script);
  for (const header of headers) args.push('-H', header);
  args.push(url);
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', 'wrk "$@"; status=$?; times; exit $status', 'wrk', ...args], {
      env: { ...process.env, ...env },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`wrk exited ${code}: ${err || out}`));
      const match = (re) => re.exec(out)?.slice(1) ?? [];
      const [requests, seconds] = match(/(\d+) requests in ([\d.]+)(?:s)/).map(Number);
      const [non2xx = 0] = match(/Non-2xx or 3xx responses: (\d+)/).map(Number);
      const socketErrors = match(/Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/)
        .map(Number)
        .reduce((a, b) => a + b, 0);
      // `times` prints the shell's own user and system time, then (last line) its children's: wrk's.
      const times = /(\d+)m([\d.]+)s (\d+)m([\d.]+)s\s*$/.exec(out)?.slice(1).map(Number);
      const cpu = times ? times[0] * 60 + times[1] + times[2] * 60 + times[3] : NaN;
      resolve({
        rps: Number(match(/Requests\/sec:\s+([\d.]+)/)[0]),
        p50: millis(match(/\s50%\s+(\S+)/)[0]),
        p99: millis(match(/\s99%\s+(\S+)/)[0]),
        requests,
        failed: non2xx + socketErrors,
        generatorCpu: cpu / seconds,
      });
    });
  });
}

/** A note for a run whose generator used more than {@link GENERATOR_CPU_LIMIT} of a core. */
export const generatorFlag = (run) =>
  run.generatorCpu > GENERATOR_CPU_LIMIT ? ` ⚠ wrk at ${Math.round(run.generatorCpu * 100)}% of a core` : '';
