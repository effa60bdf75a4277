import { mkdirSync } from 'node:fs';
import { listening, LOOPBACK, startLocalServer } from '@app/config';
import { createDynamoClient, ensureTables } from '@app/dynamodb';
import type { PollsConfig } from '../polls.config';
import { tableDefinitions } from './tables';

/**
 * `main.js --init`: creates the tables (or the title index an older polls table lacks) and waits
 * until they are ACTIVE. When the endpoint is a local DynamoDB that is not running, starts DynamoDB
 * Local as the Procfile does (same data directory) for the duration, then stops it again.
 */
export async function initTables(config: PollsConfig, log: (line: string) => void): Promise<void> {
  let stop: (() => Promise<void>) | undefined;
  const endpoint = config.DYNAMODB_ENDPOINT ? new URL(config.DYNAMODB_ENDPOINT) : undefined;
  if (endpoint && LOOPBACK.has(endpoint.hostname)) {
    const port = Number(endpoint.port) || 80;
    if (!(await listening(endpoint.hostname, port))) {
      log(`DynamoDB Local is not running on :${port}; starting it for --init`);
      mkdirSync(config.DYNAMODB_DATA_DIR, { recursive: true });
      const args = [
        'bin/dynamodb-local.sh',
        '-port',
        String(port),
        '-sharedDb',
        '-dbPath',
        config.DYNAMODB_DATA_DIR,
      ];
      stop = await startLocalServer('DynamoDB Local', 'bash', args, endpoint.hostname, port);
    }
  }
  const client = createDynamoClient({ ...config, DYNAMODB_MAX_ATTEMPTS: 5 });
  try {
    await ensureTables(client, tableDefinitions(config), log);
    log(`tables ${config.POLLS_TABLE} (index ${config.POLLS_TITLE_INDEX}) and ${config.VOTES_TABLE} ACTIVE`);
  } finally {
    client.destroy();
    await stop?.();
  }
}
