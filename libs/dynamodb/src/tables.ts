import {
  type CreateTableCommandInput,
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  type TableDescription,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import { setTimeout as sleep } from 'node:timers/promises';

/** True when the table and all its indexes can serve requests. */
export function isActive(table: TableDescription | undefined): boolean {
  return (
    table?.TableStatus === 'ACTIVE' &&
    (table.GlobalSecondaryIndexes ?? []).every((index) => index.IndexStatus === 'ACTIVE')
  );
}

/**
 * Creates the tables of `definitions` that are missing, adds the global secondary indexes a
 * definition has and its existing table lacks (an older table), then waits until all are ACTIVE.
 * Idempotent: existing tables are otherwise left as they are.
 */
export async function ensureTables(
  client: DynamoDBClient,
  definitions: CreateTableCommandInput[],
  log: (line: string) => void = () => {},
  timeoutMs = 120_000,
): Promise<void> {
  for (const definition of definitions) {
    const name = definition.TableName!;
    const existing = await describeTable(client, name);
    if (!existing) {
      try {
        await client.send(new CreateTableCommand(definition));
        log(`created table ${name}`);
      } catch (error) {
        if (!(error instanceof ResourceInUseException)) throw error;
      }
    } else if (definition.GlobalSecondaryIndexes) {
      await addMissingIndexes(client, definition, existing, log, timeoutMs);
    }
    await waitUntilActive(client, name, timeoutMs);
  }
}

async function addMissingIndexes(
  client: DynamoDBClient,
  definition: CreateTableCommandInput,
  existing: TableDescription,
  log: (line: string) => void,
  timeoutMs: number,
): Promise<void> {
  const present = new Set((existing.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
  for (const index of definition.GlobalSecondaryIndexes ?? []) {
    if (present.has(index.IndexName)) continue;
    // DynamoDB takes one index change at a time, on an ACTIVE table.
    await waitUntilActive(client, definition.TableName!, timeoutMs);
    await client.send(
      new UpdateTableCommand({
        TableName: definition.TableName,
        AttributeDefinitions: definition.AttributeDefinitions,
        GlobalSecondaryIndexUpdates: [{ Create: index }],
      }),
    );
    log(`added index ${index.IndexName} to ${definition.TableName}`);
  }
}

/** The table's description, or undefined when there is no such table. */
export async function describeTable(
  client: DynamoDBClient,
  name: string,
): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: name }))).Table;
  } catch (error) {
    if (error instanceof Error && error.name === 'ResourceNotFoundException') return undefined;
    throw error;
  }
}

/** Waits until the table and its indexes are ACTIVE ({@link isActive}); throws after `timeoutMs`. */
export async function waitUntilActive(
  client: DynamoDBClient,
  name: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!isActive(await describeTable(client, name))) {
    if (Date.now() > deadline) throw new Error(`table ${name} not ACTIVE after ${timeoutMs} ms`);
    await sleep(500);
  }
}
