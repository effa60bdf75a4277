import { guard } from '@app/dynamodb';
import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CheckRecord } from '../records';
import { CheckHistory } from '../registry-store';
import { CHECKS_TTL_S, KEYS, pad } from './registry-table';

/** BatchWriteItem's limit. */
const BATCH = 25;
const UNPROCESSED_TRIES = 5;
/** Batches written at once: what the client's concurrency limit (DYNAMODB_CONCURRENCY, 8) leaves room for. */
const PARALLEL_BATCHES = 4;

type CheckItem = CheckRecord & { pk: string; sk: string; expires_at: number };
const toRecord = ({ pk: _pk, sk: _sk, expires_at: _expires, ...record }: CheckItem): CheckRecord => record;

/**
 * The check history on DynamoDB: one item per check under `checks#<service>`, keyed by time, written
 * in batches of 25. It is bounded by time, not count (`limit` is SQLite's): each item carries
 * `expires_at` for DynamoDB's TTL to delete it, free of write capacity, and reads look only at the
 * last CHECKS_TTL_S, since TTL deletes lag.
 */
export class DynamoCheckHistory extends CheckHistory {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {
    super();
  }

  async append(records: CheckRecord[]): Promise<void> {
    const items = records.map((record) => ({
      PutRequest: {
        Item: {
          pk: KEYS.checks(record.service_name),
          sk: KEYS.checkSk(record.checked_at, record.instance_id),
          ...record,
          expires_at: Math.floor(record.checked_at / 1000) + CHECKS_TTL_S,
        },
      },
    }));
    const batches = Array.from({ length: Math.ceil(items.length / BATCH) }, (_, i) =>
      items.slice(i * BATCH, (i + 1) * BATCH),
    );
    // A few batches in flight at once: 10 000 checks are 400 batches, too slow one after another.
    await Promise.all(
      Array.from({ length: Math.min(PARALLEL_BATCHES, batches.length) }, async () => {
        for (let batch = batches.shift(); batch; batch = batches.shift()) await this.write(batch);
      }),
    );
  }

  /** One BatchWriteItem, with what DynamoDB left unprocessed tried again. */
  private async write(items: Record<string, unknown>[]): Promise<void> {
    let batch = items;
    for (let attempt = 1; batch.length > 0; attempt++) {
      const { UnprocessedItems } = await guard(
        this.client.send(new BatchWriteCommand({ RequestItems: { [this.table]: batch } })),
      );
      batch = UnprocessedItems?.[this.table] ?? [];
      if (batch.length > 0 && attempt >= UNPROCESSED_TRIES) return; // history, not membership: let it go
      if (batch.length > 0) await sleep(Math.random() * 20 * 2 ** attempt);
    }
  }

  async byService(serviceName: string, limit: number): Promise<CheckRecord[]> {
    return this.newest(serviceName, limit);
  }

  async latestPerInstance(perInstance: number): Promise<CheckRecord[]> {
    const { Item } = await guard(
      this.client.send(new GetCommand({ TableName: this.table, Key: KEYS.index, ConsistentRead: true })),
    );
    const services = [...((Item?.services as Set<string> | undefined) ?? [])];
    const lists = await Promise.all(
      services.map(async (service) => {
        const instances = await this.instanceCount(service);
        // Newest first, enough for every instance's share (and room for some that have left).
        const newest = await this.newest(service, perInstance * (instances + 4));
        const kept = new Map<string, number>();
        return newest.filter((check) => {
          const n = (kept.get(check.instance_id) ?? 0) + 1;
          kept.set(check.instance_id, n);
          return n <= perInstance;
        });
      }),
    );
    return lists.flat().sort((a, b) => a.checked_at - b.checked_at);
  }

  private async newest(serviceName: string, limit: number): Promise<CheckRecord[]> {
    const { Items = [] } = await guard(
      this.client.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk AND sk >= :since',
          ExpressionAttributeValues: {
            ':pk': KEYS.checks(serviceName),
            ':since': pad(Date.now() - CHECKS_TTL_S * 1000),
          },
          ScanIndexForward: false,
          Limit: limit,
        }),
      ),
    );
    return (Items as CheckItem[]).map(toRecord);
  }

  private async instanceCount(serviceName: string): Promise<number> {
    const { Count = 0 } = await guard(
      this.client.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': KEYS.service(serviceName) },
          Select: 'COUNT',
        }),
      ),
    );
    return Count;
  }
}
