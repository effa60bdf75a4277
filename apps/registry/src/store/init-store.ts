import { initDynamoTables } from '@app/dynamodb';
import { UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import type { RegistryConfig } from '../registry.config';
import { registryTable } from './dynamodb/registry-table';
import { openDatabase } from './sqlite/sqlite';

/** Creates or migrates the store REGISTRY_STORE names (idempotent), for `--init`. */
export async function initStore(config: RegistryConfig, log: (line: string) => void): Promise<void> {
  if (config.REGISTRY_STORE === 'sqlite') {
    openDatabase(config.REGISTRY_DB_PATH).close();
    log(`database ready at ${config.REGISTRY_DB_PATH}`);
    return;
  }
  await initDynamoTables(config, log, {
    name: 'registry',
    definitions: [registryTable(config.REGISTRY_TABLE)],
    settings: { ttl: 'expires_at' },
    finish: async (client) => {
      // Checks expire by themselves (expires_at); setting it again is harmless.
      await client
        .send(
          new UpdateTimeToLiveCommand({
            TableName: config.REGISTRY_TABLE,
            TimeToLiveSpecification: { AttributeName: 'expires_at', Enabled: true },
          }),
        )
        .catch((error: Error) => {
          if (!/already enabled/i.test(error.message)) throw error;
        });
      log(`table ${config.REGISTRY_TABLE} ACTIVE`);
    },
  });
}
