import {
  type CreateTableCommandInput,
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  type TableDescription,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import { ensureTables, isActive } from './tables';

const index = (name: string) => ({
  IndexName: name,
  KeySchema: [{ AttributeName: 'title', KeyType: 'HASH' as const }],
  Projection: { ProjectionType: 'ALL' as const },
});
const definition: CreateTableCommandInput = {
  TableName: 'things',
  BillingMode: 'PAY_PER_REQUEST',
  AttributeDefinitions: [
    { AttributeName: 'id', AttributeType: 'S' },
    { AttributeName: 'title', AttributeType: 'S' },
  ],
  KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
  GlobalSecondaryIndexes: [index('by-title')],
};

/** A DynamoDB of tables by name, which are ACTIVE as soon as they are made or changed. */
function fakeDynamo(tables: Record<string, TableDescription> = {}) {
  const sent: object[] = [];
  const respond = (command: object): Promise<unknown> => {
    if (command instanceof DescribeTableCommand) {
      const table = tables[command.input.TableName!];
      if (table) return Promise.resolve({ Table: table });
      return Promise.reject(Object.assign(new Error('no table'), { name: 'ResourceNotFoundException' }));
    }
    if (command instanceof CreateTableCommand) {
      const { TableName, GlobalSecondaryIndexes = [] } = command.input;
      tables[TableName!] = {
        TableName,
        TableStatus: 'ACTIVE',
        GlobalSecondaryIndexes: GlobalSecondaryIndexes.map((i) => ({
          IndexName: i.IndexName,
          IndexStatus: 'ACTIVE',
        })),
      };
      return Promise.resolve({});
    }
    if (command instanceof UpdateTableCommand) {
      const table = tables[command.input.TableName!];
      for (const update of command.input.GlobalSecondaryIndexUpdates ?? []) {
        table.GlobalSecondaryIndexes = [
          ...(table.GlobalSecondaryIndexes ?? []),
          { IndexName: update.Create!.IndexName, IndexStatus: 'ACTIVE' },
        ];
      }
      return Promise.resolve({});
    }
    return Promise.reject(new Error(`unexpected ${command.constructor.name}`));
  };
  const send = jest.fn((command: object) => {
    sent.push(command);
    return respond(command);
  });
  return { client: { send } as unknown as DynamoDBClient, send, respond, sent, tables };
}

describe('isActive', () => {
  it('is true only when the table and every index are ACTIVE', () => {
    expect(isActive(undefined)).toBe(false);
    expect(isActive({ TableStatus: 'CREATING' })).toBe(false);
    expect(isActive({ TableStatus: 'ACTIVE' })).toBe(true);
    expect(
      isActive({
        TableStatus: 'ACTIVE',
        GlobalSecondaryIndexes: [{ IndexName: 'i', IndexStatus: 'CREATING' }],
      }),
    ).toBe(false);
    expect(
      isActive({
        TableStatus: 'ACTIVE',
        GlobalSecondaryIndexes: [{ IndexName: 'i', IndexStatus: 'ACTIVE' }],
      }),
    ).toBe(true);
  });
});

describe('ensureTables', () => {
  it('creates a missing table with its indexes', async () => {
    const { client, sent, tables } = fakeDynamo();
    const log = jest.fn();
    await ensureTables(client, [definition], log);
    expect(sent.filter((c) => c instanceof CreateTableCommand)).toHaveLength(1);
    expect(isActive(tables.things)).toBe(true);
    expect(tables.things.GlobalSecondaryIndexes?.map((i) => i.IndexName)).toEqual(['by-title']);
    expect(log).toHaveBeenCalledWith('created table things');
  });

  it('adds the index an older table lacks, and leaves a complete table alone', async () => {
    const { client, sent, tables } = fakeDynamo({ things: { TableName: 'things', TableStatus: 'ACTIVE' } });
    const log = jest.fn();
    await ensureTables(client, [definition], log);
    const updates = sent.filter((c): c is UpdateTableCommand => c instanceof UpdateTableCommand);
    expect(updates).toHaveLength(1);
    expect(updates[0].input).toMatchObject({
      TableName: 'things',
      AttributeDefinitions: definition.AttributeDefinitions,
      GlobalSecondaryIndexUpdates: [{ Create: index('by-title') }],
    });
    expect(log).toHaveBeenCalledWith('added index by-title to things');

    sent.length = 0;
    await ensureTables(client, [definition], log);
    expect(sent.every((c) => c instanceof DescribeTableCommand)).toBe(true);
    expect(isActive(tables.things)).toBe(true);
  });

  it('takes a table another process created meanwhile as created', async () => {
    const { client, send, respond, tables } = fakeDynamo();
    send.mockImplementation((command: object) => {
      if (!(command instanceof CreateTableCommand)) return respond(command);
      tables.things = { TableName: 'things', TableStatus: 'ACTIVE' };
      return Promise.reject(new ResourceInUseException({ message: 'in use', $metadata: {} }));
    });
    const log = jest.fn();
    await expect(
      ensureTables(client, [{ ...definition, GlobalSecondaryIndexes: undefined }], log),
    ).resolves.toBe(undefined);
    expect(log).not.toHaveBeenCalled();
  });
});
