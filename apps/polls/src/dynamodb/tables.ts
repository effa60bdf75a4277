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
import type { PollsConfig } from '../polls.config';

type TableNames = Pick<PollsConfig, 'POLLS_TABLE' | 'POLLS_TITLE_INDEX' | 'VOTES_TABLE'>;

/** The polls table's GSI: every poll under its exact title, oldest first. */
export function titleIndex(names: TableNames) {
  return {
    IndexName: names.POLLS_TITLE_INDEX,
    KeySchema: [
      { AttributeName: 'polls_title', KeyType: 'HASH' as const },
      { AttributeName: 'created_at', KeyType: 'RANGE' as const },
    ],
    Projection: { ProjectionType: 'ALL' as const },
  };
}

/** Polls keyed by `polls_id`, findable by title; votes keyed by (`polls_id`, `username`). */
export function tableDefinitions(names: TableNames): CreateTableCommandInput[] {
  return [
    {
      TableName: names.POLLS_TABLE,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'polls_id', AttributeType: 'S' },
        { AttributeName: 'polls_title', AttributeType: 'S' },
        { AttributeName: 'created_at', AttributeType: 'S' },
      ],
      KeySchema: [{ AttributeName: 'polls_id', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [titleIndex(names)],
    },
    {
      TableName: names.VOTES_TABLE,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'polls_id', AttributeType: 'S' },
        { AttributeName: 'username', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'polls_id', KeyType: 'HASH' },
        { AttributeName: 'username', KeyType: 'RANGE' },
      ],
    },
  ];
}

/** True when the table and all its indexes can serve requests. */
export function isActive(table: TableDescription | undefined): boolean {
  return (
    table?.TableStatus === 'ACTIVE' &&
    (table.GlobalSecondaryIndexes ?? []).every((index) => index.IndexStatus === 'ACTIVE')
  );
}

/**
 * Creates the tables that are missing (and the title index if an older polls table lacks it),
 * then waits until all are ACTIVE. Idempotent: existing tables are left as they are.
 */
export async function ensureTables(
  client: DynamoDBClient,
  names: TableNames,
  log: (line: string) => void = () => {},
  timeoutMs = 120_000,
): Promise<void> {
  for (const definition of tableDefinitions(names)) {
    const name = definition.TableName!;
    const existing = await describe(client, name);
    if (!existing) {
      try {
        await client.send(new CreateTableCommand(definition));
        log(`created table ${name}`);
      } catch (error) {
        if (!(error instanceof ResourceInUseException)) throw error;
      }
    } else if (definition.GlobalSecondaryIndexes) {
      await addMissingIndexes(client, definition, existing, log);
    }
    await waitUntilActive(client, name, timeoutMs);
  }
}

async function addMissingIndexes(
  client: DynamoDBClient,
  definition: CreateTableCommandInput,
  existing: TableDescription,
  log: (line: string) => void,
): Promise<void> {
  const present = new Set((existing.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
  for (const index of definition.GlobalSecondaryIndexes ?? []) {
    if (present.has(index.IndexName)) continue;
    await waitUntilActive(client, definition.TableName!, 120_000);
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

async function describe(client: DynamoDBClient, name: string): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: name }))).Table;
  } catch (error) {
    if (error instanceof Error && error.name === 'ResourceNotFoundException') return undefined;
    throw error;
  }
}

async function waitUntilActive(client: DynamoDBClient, name: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!isActive(await describe(client, name))) {
    if (Date.now() > deadline) throw new Error(`table ${name} not ACTIVE after ${timeoutMs} ms`);
    await sleep(500);
  }
}
