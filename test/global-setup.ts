import { existsSync, readdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

/** Integration tests run the built apps and real servers: say clearly when something is missing. */
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
}
