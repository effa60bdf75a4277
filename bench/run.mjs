// `npm run bench`: builds, runs every benchmark (each measures its own baseline in the same run)
// and writes BENCHMARKS.md with their figures, the machine and the commands. A benchmark that fails
// is marked FAILED there (its partial output is kept as a log, not as figures) and the run exits 1.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';

const benches = [
  ['Formation', ['bench/formation.bench.mjs']],
  ['Likes', ['bench/likes.bench.mjs']],
  ['Likes on Redis Cluster', ['bench/likes-cluster.bench.mjs']],
  ['Polls through HAProxy', ['bench/polls.bench.mjs']],
  ['Registry', ['bench/registry.bench.mjs', '1000,10000', '100']],
  ['Registry: Consul view', ['bench/consul.bench.mjs']],
  ['Front doors', ['bench/front-doors.bench.mjs']],
  ['Cold start', ['bench/cold-start.mjs']],
];
const version = (cmd, args) => {
  // Some print their version and exit non-zero (wrk -v): take the first line either way.
  const run = spawnSync(cmd, args, { encoding: 'utf8' });
  return run.error ? 'not found' : `${run.stdout}${run.stderr}`.split('\n')[0].trim();
};

execFileSync('bash', ['bin/build.sh'], { stdio: 'inherit' });
const sections = [];
const failed = [];
// The benchmarks' stores and profiles go to one directory (their TMPDIR), removed at the end.
const scratch = mkdtempSync(join(os.tmpdir(), 'chirp-bench-run-'));
for (const [title, args] of benches) {
  process.stderr.write(`==> ${title}: bin/node ${args.join(' ')}\n`);
  const started = Date.now();
  const run = spawnSync(process.execPath, args, {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, TMPDIR: scratch },
  });
  const output = run.stdout.trim();
  const seconds = Math.round((Date.now() - started) / 1000);
  let body;
  if (run.status !== 0) {
    failed.push(title);
    const log = output.replace(/^## .*\n/, '');
    body = `## ${title}: FAILED\n\nThe benchmark exited ${run.status ?? run.signal}; no figures. Its output:\n\n\`\`\`\n${log}\n\`\`\``;
  } else {
    body = output.startsWith('## ') ? output : `## ${title}\n\n\`\`\`\n${output}\n\`\`\``;
  }
  sections.push(`${body}\n\nCommand: \`bin/node ${args.join(' ')}\` (exit ${run.status}, ${seconds} s)`);
}

rmSync(scratch, { recursive: true, force: true });
writeFileSync(
  'BENCHMARKS.md',
  `# Benchmarks

Written by \`npm run bench\` on ${new Date().toISOString()}. Every ratio compares against a baseline
measured in the same run on the same machine; figures from a busy machine vary by tens of percent.

Load comes from wrk (Debian's package); a run where it used more than 80% of a core is flagged ⚠, since
the generator may then be what limits it.

Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB,
Node ${process.version}, ${version('haproxy', ['-v'])}, ${version('redis-server', ['--version'])}, ${version('wrk', ['-v'])}.

${sections.join('\n\n')}
`,
);
process.stderr.write('wrote BENCHMARKS.md\n');
if (failed.length) {
  process.stderr.write(`FAILED: ${failed.join(', ')}\n`);
  process.exit(1);
}
