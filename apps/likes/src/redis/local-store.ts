import { mkdirSync } from 'node:fs';
import { listening, LOOPBACK, startLocalServer } from '@app/config';

/**
 * For `--init`: when `redisUrl` is a Redis on this machine that is not running, starts it as the
 * Procfile does (append-only, files in `dataDir`); returns how to stop it, or undefined.
 */
export async function startLocalStore(
  redisUrl: string,
  dataDir: string,
  log: (line: string) => void,
): Promise<(() => Promise<void>) | undefined> {
  const url = new URL(redisUrl);
  const port = Number(url.port) || 6379;
  if (!LOOPBACK.has(url.hostname) || (await listening(url.hostname, port))) return undefined;
  log(`Redis is not running on :${port}; starting it for --init`);
  mkdirSync(dataDir, { recursive: true });
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dataDir];
  const persistence = ['--appendonly', 'yes', '--appendfsync', 'everysec', '--save', ''];
  return startLocalServer('redis', 'redis-server', [...args, ...persistence], url.hostname, port);
}
