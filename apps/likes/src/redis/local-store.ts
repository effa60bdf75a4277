import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { listening, LOOPBACK, startLocalServer } from '@app/config';

/** True when `redisUrl` is a Redis on this machine that is not running (the one `--init` may start). */
export async function localStoreStopped(redisUrl: string): Promise<boolean> {
  const url = new URL(redisUrl);
  return LOOPBACK.has(url.hostname) && !(await listening(url.hostname, Number(url.port) || 6379));
}

/**
 * The key layout the local Redis's files in `dataDir` hold, as the last `--init` that started it
 * recorded beside them (`chirp-layout`), or undefined. Lets a later `--init` leave that Redis stopped
 * rather than start it, load every key, and stop it, only for foreman to load them all again.
 */
export function recordedLayout(dataDir: string): string | undefined {
  try {
    return readFileSync(join(dataDir, 'chirp-layout'), 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** Records the layout of the local Redis's files in `dataDir` (see {@link recordedLayout}). */
export function recordLayout(dataDir: string, layout: string): void {
  writeFileSync(join(dataDir, 'chirp-layout'), `${layout}\n`);
}

/**
 * For `--init`: when `redisUrl` is a Redis on this machine that is not running, starts it as the
 * Procfile does (append-only, files in `dataDir`); returns how to stop it, or undefined.
 */
export async function startLocalStore(
  redisUrl: string,
  dataDir: string,
  log: (line: string) => void,
): Promise<(() => Promise<void>) | undefined> {
  if (!(await localStoreStopped(redisUrl))) return undefined;
  const url = new URL(redisUrl);
  const port = Number(url.port) || 6379;
  log(`Redis is not running on :${port}; starting it for --init`);
  mkdirSync(dataDir, { recursive: true });
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dataDir];
  const persistence = ['--appendonly', 'yes', '--appendfsync', 'everysec', '--save', ''];
  return startLocalServer('redis', 'redis-server', [...args, ...persistence], url.hostname, port);
}
