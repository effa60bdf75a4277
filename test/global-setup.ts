import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Integration tests run the built apps and real servers: say clearly when something is missing. The
 * stores' files go to one directory per run (TMPDIR, which os.tmpdir() and the servers the tests start
 * read), removed by global-teardown.ts.
 */
export default function globalSetup(): void {
  for (const app of readdirSync('apps')) {
    if (!existsSync(`dist/apps/${app}/main.js`)) {
      throw new Error(`dist/apps/${app}/main.js is missing: run "npm run build" (npm test does it)`);
    }
  }
  for (const binary of ['redis-server', 'redis-cli', 'haproxy', 'java']) {
    try {
      execFileSync('sh', ['-c', `command -v ${binary}`]);
    } catch {
      throw new Error(`${binary} is not installed: run "bash bin/setup.sh" (npm test does it)`);
    }
  }
  process.env.TMPDIR = mkdtempSync(join(tmpdir(), 'chirp-test-run-'));
}
