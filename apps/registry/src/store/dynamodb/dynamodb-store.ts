import { createDynamoClient, documentClient, DynamoLiveness, HEALTH_FRESH_MS } from '@app/dynamodb';
import type { RegistryConfig } from '../../registry.config';
import { DynamoChangeIndex } from './dynamodb-change-index';
import { DynamoCheckerLease } from './dynamodb-checker-lease';
import { DynamoCheckHistory } from './dynamodb-check-history';
import { DynamoInstances } from './dynamodb-instances';
import { DynamoRoundLog } from './dynamodb-round-log';

/** Every part of the store on one DynamoDB client (one connection pool, one concurrency limit). */
export function dynamoStore(config: RegistryConfig) {
  const liveness = new DynamoLiveness(HEALTH_FRESH_MS);
  const raw = createDynamoClient(config, liveness);
  const client = documentClient(raw);
  const table = config.REGISTRY_TABLE;
  const index = new DynamoChangeIndex(client, table);
  return {
    raw,
    client,
    liveness,
    index,
    instances: new DynamoInstances(client, table, index),
    checks: new DynamoCheckHistory(client, table),
    rounds: new DynamoRoundLog(client, table),
    lease: new DynamoCheckerLease(client, table),
  };
}
