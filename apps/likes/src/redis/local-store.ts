import { mkdirSync } from 'node:fs';
import { listening, LOOPBACK, startLocalServer } from '@app/config';

/** True when `redisUrl` is a Redis on this machine that is not running (the one `--init` may start). */
export async function localStoreStopped(redisUrl: string): Promise<boolean> {
  const url = new URL(redisUrl);
  return LOOPBACK.has(url.hostname) && !(await listening(url.hostname, Number(url.port) || 6379));
}

/**
 * The record of the key layout the local Redis's files hold, written by the `--init` that started it
 * (`readInitRecord`/`writeInitRecord`): a later `--init` then leaves that Redis stopped rather than
 * start it, load every key, and stop it, only for foreman to load them all again.
 */
export const LAYOUT_RECORD = 'chirp-layout';

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
