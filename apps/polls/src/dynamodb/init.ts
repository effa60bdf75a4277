import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync } from 'node:fs';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { PollsConfig } from '../polls.config';
import { createDynamoClient } from './dynamodb.client';
import { ensureTables } from './tables';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * `main.js --init`: creates the tables and waits until they are ACTIVE. When the endpoint is a
 * local DynamoDB that is not running, starts DynamoDB Local as the Procfile does (same data
 * directory) for the duration, then stops it again.
 */
export async function initTables(config: PollsConfig, log: (line: string) => void): Promise<void> {
  let started: ChildProcess | undefined;
  const endpoint = config.DYNAMODB_ENDPOINT ? new URL(config.DYNAMODB_ENDPOINT) : undefined;
  if (endpoint && LOOPBACK.has(endpoint.hostname)) {
    const port = Number(endpoint.port) || 80;
    if (!(await listening(endpoint.hostname, port))) {
      log(`DynamoDB Local is not running on :${port}; starting it for --init`);
      started = await startDynamoDbLocal(endpoint.hostname, port, config.DYNAMODB_DATA_DIR);
    }
  }
  const client = createDynamoClient({ ...config, DYNAMODB_MAX_ATTEMPTS: 5 });
  try {
    await ensureTables(client, config, log);
    log(`tables ${config.POLLS_TABLE} (index ${config.POLLS_TITLE_INDEX}) and ${config.VOTES_TABLE} ACTIVE`);
  } finally {
    client.destroy();
    if (started) await stop(started);
  }
}

async function startDynamoDbLocal(host: string, port: number, dataDir: string): Promise<ChildProcess> {
  mkdirSync(dataDir, { recursive: true });
  const args = ['bin/dynamodb-local.sh', '-port', String(port), '-sharedDb', '-dbPath', dataDir];
  const child = spawn('bash', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const deadline = Date.now() + 60_000;
  while (!(await listening(host, port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`DynamoDB Local did not start on :${port}:\n${output}`);
    }
    await sleep(200);
  }
  return child;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

function listening(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: host.replace(/^\[|\]$/g, ''), port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}
