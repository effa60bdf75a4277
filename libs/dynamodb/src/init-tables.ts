import type { CreateTableCommandInput, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createHash } from 'node:crypto';
import { createDynamoClient, type DynamoSettings } from './dynamodb.client';
import { withLocalDynamoDb } from './local-dynamodb';
import { ensureTables } from './tables';

/** What an app's `--init` makes on DynamoDB. */
export interface InitTables {
  /** Whose: names its record beside DynamoDB Local's files (`chirp-init-<name>`). */
  name: string;
  definitions: CreateTableCommandInput[];
  /** Made once the tables are ACTIVE (a TTL, a log line), on the same client. */
  finish?: (client: DynamoDBClient) => void | Promise<void>;
  /** What `finish` sets beyond the definitions; recorded with them, so a change checks again. */
  settings?: unknown;
}

/**
 * An app's `--init` on DynamoDB: creates the tables (or the indexes an older one lacks), waits until
 * they are ACTIVE, then runs `finish`, on a client that retries more than live traffic's. A stopped
 * DynamoDB Local on loopback is started for the duration, unless the last `--init` that started it
 * recorded the same definitions and settings (see {@link withLocalDynamoDb}).
 */
export async function initDynamoTables(
  config: DynamoSettings & { readonly DYNAMODB_DATA_DIR: string },
  log: (line: string) => void,
  { name, definitions, finish, settings }: InitTables,
): Promise<void> {
  const record = { name, value: fingerprint({ definitions, settings }) };
  const make = async () => {
    const client = createDynamoClient({ ...config, DYNAMODB_MAX_ATTEMPTS: 5 });
    try {
      await ensureTables(client, definitions, log);
      await finish?.(client);
    } finally {
      client.destroy();
    }
  };
  await withLocalDynamoDb(config.DYNAMODB_ENDPOINT, config.DYNAMODB_DATA_DIR, log, make, record);
}

/** A short digest of `value` (JSON): what a record compares. */
const fingerprint = (value: unknown): string =>
  createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);
