import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** Host names that mean this machine: a store there that is not running may be started by `--init`. */
export const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** True when something accepts TCP connections at `host:port`. */
export function listening(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: host.replace(/^\[|\]$/g, ''), port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

/**
 * Starts a store's server for the duration of an `--init` and waits until it listens on
 * `host:port`; returns how to stop it again (SIGTERM, SIGKILL after 10 s).
 */
export async function startLocalServer(
  name: string,
  command: string,
  args: string[],
  host: string,
  port: number,
): Promise<() => Promise<void>> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const deadline = Date.now() + 60_000;
  while (!(await listening(host, port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${name} did not start on :${port}:\n${output}`);
    }
    await sleep(200);
  }
  return () => stop(child);
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/**
 * What the last `--init` that started a local store recorded beside the store's files (`dataDir/name`),
 * or undefined. Lets a later `--init` leave that store stopped when its files hold what it would make,
 * rather than start it only to find so, just before foreman starts it again.
 */
export function readInitRecord(dataDir: string, name: string): string | undefined {
  try {
    return readFileSync(join(dataDir, name), 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** Records `value` beside a local store's files (see {@link readInitRecord}). */
export function writeInitRecord(dataDir: string, name: string, value: string): void {
  writeFileSync(join(dataDir, name), `${value}\n`);
}
