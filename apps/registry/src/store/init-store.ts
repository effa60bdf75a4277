import { createDynamoClient, ensureTables, fingerprint, withLocalDynamoDb } from '@app/dynamodb';
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
  const table = registryTable(config.REGISTRY_TABLE);
  const record = { name: 'registry', value: fingerprint({ table, ttl: 'expires_at' }) };
  await withLocalDynamoDb(
    config.DYNAMODB_ENDPOINT,
    config.DYNAMODB_DATA_DIR,
    log,
    async () => {
      const client = createDynamoClient({ ...config, DYNAMODB_MAX_ATTEMPTS: 5 });
      try {
        await ensureTables(client, [table], log);
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
      } finally {
        client.destroy();
      }
    },
    record,
  );
}
