// `npm run bench`: builds, runs every benchmark (each measures its own baseline in the same run)
// and writes BENCHMARKS.md with their figures, the machine and the commands.
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';

const benches = [
  ['Likes through HAProxy', ['bench/likes.bench.mjs', '--rounds', '2']],
  ['Polls through HAProxy', ['bench/polls.bench.mjs']],
  ['Registry', ['bench/registry.bench.mjs', '1000', '100']],
  ['Cold start', ['bench/cold-start.mjs']],
];
const version = (cmd, args) => {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8' }).split('\n')[0].trim();
  } catch {
    return 'not found';
  }
};

execFileSync('bash', ['bin/build.sh'], { stdio: 'inherit' });
const sections = [];
for (const [title, args] of benches) {
  process.stderr.write(`==> ${title}: node ${args.join(' ')}\n`);
  const started = Date.now();
  const run = spawnSync(process.execPath, args, {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const output = run.stdout.trim();
  const body = output.startsWith('## ') ? output : `## ${title}\n\n\`\`\`\n${output}\n\`\`\``;
  sections.push(
    `${body}\n\nCommand: \`node ${args.join(' ')}\` (exit ${run.status}, ${Math.round((Date.now() - started) / 1000)} s)`,
  );
}

writeFileSync(
  'BENCHMARKS.md',
  `# Benchmarks

Written by \`npm run bench\` on ${new Date().toISOString()}. Every ratio compares against a baseline
measured in the same run on the same machine; figures from a busy machine vary by tens of percent.

Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB,
Node ${process.version}, ${version('haproxy', ['-v'])}, ${version('redis-server', ['--version'])}.

${sections.join('\n\n')}
`,
);
process.stderr.write('wrote BENCHMARKS.md\n');
