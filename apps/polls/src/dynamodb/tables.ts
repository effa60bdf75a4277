import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
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

/**
 * Polls keyed by `polls_id`, findable by title; votes keyed by (`polls_id`, `username`). For
 * `ensureTables` of @app/dynamodb, which also adds the title index to an older polls table that lacks it.
 */
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
