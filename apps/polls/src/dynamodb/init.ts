import { createDynamoClient, ensureTables, withLocalDynamoDb } from '@app/dynamodb';
import type { PollsConfig } from '../polls.config';
import { tableDefinitions } from './tables';

/**
 * `main.js --init`: creates the tables (or the title index an older polls table lacks) and waits
 * until they are ACTIVE, starting DynamoDB Local for the duration when it is not running.
 */
export async function initTables(config: PollsConfig, log: (line: string) => void): Promise<void> {
  await withLocalDynamoDb(config.DYNAMODB_ENDPOINT, config.DYNAMODB_DATA_DIR, log, async () => {
    const client = createDynamoClient({ ...config, DYNAMODB_MAX_ATTEMPTS: 5 });
    try {
      await ensureTables(client, tableDefinitions(config), log);
      log(
        `tables ${config.POLLS_TABLE} (index ${config.POLLS_TITLE_INDEX}) and ${config.VOTES_TABLE} ACTIVE`,
      );
    } finally {
      client.destroy();
    }
  });
}
