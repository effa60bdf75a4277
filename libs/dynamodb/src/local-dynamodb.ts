import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { listening, LOOPBACK, readInitRecord, startLocalServer, writeInitRecord } from '@app/config';

/** What an app's `--init` made on a DynamoDB Local, recorded beside its files (see {@link withLocalDynamoDb}). */
export interface InitRecord {
  /** Whose record: the file `chirp-init-<name>` in the data directory. */
  name: string;
  /** What it made, as a digest of its table definitions: a changed definition checks again. */
  value: string;
}

/**
 * Runs `work` (an app's `--init`) with DynamoDB answering: when the endpoint is a DynamoDB Local on
 * loopback that is not running, starts it as the Procfile does (same data directory) for the
 * duration, then stops it again, and writes `record` beside its files. A later `--init` that finds
 * that DynamoDB Local stopped and the same record leaves it stopped: starting a JVM to find the tables
 * already there was most of `npm start`'s init (2-3 s), before foreman starts the same JVM again.
 */
export async function withLocalDynamoDb(
  endpoint: string | undefined,
  dataDir: string,
  log: (line: string) => void,
  work: () => Promise<void>,
  record?: InitRecord,
): Promise<void> {
  const url = endpoint ? new URL(endpoint) : undefined;
  const port = url ? Number(url.port) || 80 : 0;
  if (!url || !LOOPBACK.has(url.hostname) || (await listening(url.hostname, port))) return work();
  const file = `chirp-init-${record?.name}`;
  if (record !== undefined && readInitRecord(dataDir, file) === record.value) {
    log(
      `DynamoDB Local is not running; ${dataDir} holds what --init made: nothing to do ` +
        `(remove ${join(dataDir, file)} to check again)`,
    );
    return;
  }
  log(`DynamoDB Local is not running on :${port}; starting it for --init`);
  mkdirSync(dataDir, { recursive: true });
  const args = [
    'bin/dynamodb-local.sh',
    '--quick-start',
    '-port',
    String(port),
    '-sharedDb',
    '-dbPath',
    dataDir,
  ];
  const stop = await startLocalServer('DynamoDB Local', 'bash', args, url.hostname, port);
  try {
    await work();
    if (record !== undefined) writeInitRecord(dataDir, file, record.value); // its files are the ones just checked
  } finally {
    await stop();
  }
}
