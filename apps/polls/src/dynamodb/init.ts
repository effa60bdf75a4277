import { initDynamoTables } from '@app/dynamodb';
import type { PollsConfig } from '../polls.config';
import { tableDefinitions } from './tables';

/**
 * `main.js --init`: creates the tables (or the title index an older polls table lacks) and waits
 * until they are ACTIVE, starting DynamoDB Local for the duration when it is not running (unless the
 * last `--init` that did so recorded the same tables beside its files).
 */
export async function initTables(config: PollsConfig, log: (line: string) => void): Promise<void> {
  await initDynamoTables(config, log, {
    name: 'polls',
    definitions: tableDefinitions(config),
    finish: () =>
      log(
        `tables ${config.POLLS_TABLE} (index ${config.POLLS_TITLE_INDEX}) and ${config.VOTES_TABLE} ACTIVE`,
      ),
  });
}
