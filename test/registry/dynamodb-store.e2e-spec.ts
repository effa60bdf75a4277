import { randomUUID } from 'node:crypto';
import { initStore } from '../../apps/registry/src/store/init-store';
import { dynamoStore } from '../../apps/registry/src/store/dynamodb/dynamodb-store';
import { registryStoreContract } from '../../apps/registry/src/store/registry-store.contract';
import { loadRegistryConfig } from '../../apps/registry/src/registry.config';
import { startDynamoDb, type StoreProcess } from '../support/stores';

describe('the DynamoDB registry store (DynamoDB Local)', () => {
  let dynamodb: StoreProcess;
  const opened: ReturnType<typeof dynamoStore>[] = [];

  beforeAll(async () => {
    dynamodb = await startDynamoDb();
  });
  afterAll(async () => {
    for (const store of opened) store.raw.destroy();
    await dynamodb?.stop();
  });

  /** A fresh, empty store: its own table, made by the registry's `--init`. */
  const open = async () => {
    const config = loadRegistryConfig({
      REGISTRY_STORE: 'dynamodb',
      REGISTRY_TABLE: `registry-${randomUUID()}`,
      DYNAMODB_ENDPOINT: `http://127.0.0.1:${dynamodb.port}`,
    });
    await initStore(config, () => {});
    const store = dynamoStore(config);
    opened.push(store);
    return store;
  };

  registryStoreContract(open);
});
