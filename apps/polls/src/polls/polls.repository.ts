import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
} from '@aws-sdk/lib-dynamodb';
import { guard } from '@app/dynamodb';
import { Inject, Injectable } from '@nestjs/common';
import { DYNAMODB_DOCUMENT } from '../dynamodb/dynamodb.module';
import { POLLS_CONFIG, type PollsConfig } from '../polls.config';
import { encodeCursor } from './cursor';
import type { Page, PollItem } from './poll';

/** The polls table and its title index. Every value reaches DynamoDB as data, never as expression text. */
@Injectable()
export class PollsRepository {
  private readonly table: string;
  private readonly titleIndex: string;

  constructor(
    @Inject(DYNAMODB_DOCUMENT) private readonly db: DynamoDBDocumentClient,
    @Inject(POLLS_CONFIG) config: PollsConfig,
  ) {
    this.table = config.POLLS_TABLE;
    this.titleIndex = config.POLLS_TITLE_INDEX;
  }

  async create(item: PollItem): Promise<PollItem> {
    await guard(
      this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: item,
          ConditionExpression: 'attribute_not_exists(polls_id)',
        }),
      ),
    );
    return item;
  }

  async find(pollsId: string): Promise<PollItem | undefined> {
    const { Item } = await guard(
      this.db.send(
        new GetCommand({ TableName: this.table, Key: { polls_id: pollsId }, ConsistentRead: true }),
      ),
    );
    return Item as PollItem | undefined;
  }

  /** Polls with exactly `title`, oldest first: a Query of the title index, never a Scan. */
  async byTitle(title: string, limit: number, startKey?: Record<string, string>): Promise<Page<PollItem>> {
    const { Items, LastEvaluatedKey } = await guard(
      this.db.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: this.titleIndex,
          KeyConditionExpression: '#title = :title',
          ExpressionAttributeNames: { '#title': 'polls_title' },
          ExpressionAttributeValues: { ':title': title },
          Limit: limit,
          ExclusiveStartKey: startKey,
        }),
      ),
    );
    return { items: (Items ?? []) as PollItem[], cursor: encodeCursor(LastEvaluatedKey) };
  }

  /** Every poll, a page at a time (the listing behind all results). */
  async all(limit: number, startKey?: Record<string, string>): Promise<Page<PollItem>> {
    const { Items, LastEvaluatedKey } = await guard(
      this.db.send(
        new ScanCommand({
          TableName: this.table,
          Limit: limit,
          ExclusiveStartKey: startKey,
          ConsistentRead: true,
        }),
      ),
    );
    return { items: (Items ?? []) as PollItem[], cursor: encodeCursor(LastEvaluatedKey) };
  }
}
