import { guard } from '@app/dynamodb';
import { type DynamoDBDocumentClient, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type RoundRecord, ROUNDS_KEPT, type RoundTally } from '../records';
import { type Fence, FencedError, RoundLog } from '../registry-store';
import { KEYS } from './registry-table';
import { fencedTransact, fenceCheck } from './transact';

/** The rounds as items under `rounds`, keyed by their sequence number (a counter on the lease item). */
export class DynamoRoundLog extends RoundLog {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {
    super();
  }

  async start(holder: string, fence: Fence, now = Date.now()): Promise<number> {
    let seq: number;
    try {
      // The number is granted by the lease item itself, under the same fence.
      const { Attributes } = await guard(
        this.client.send(
          new UpdateCommand({
            TableName: this.table,
            Key: KEYS.lease,
            UpdateExpression: 'ADD round_seq :one',
            ConditionExpression: 'epoch = :epoch',
            ExpressionAttributeValues: { ':one': 1, ':epoch': fence.epoch },
            ReturnValues: 'UPDATED_NEW',
          }),
        ),
      );
      seq = Attributes!.round_seq as number;
    } catch (error) {
      if ((error as Error)?.name === 'ConditionalCheckFailedException') throw new FencedError(fence.epoch);
      throw error;
    }
    const round: RoundRecord = {
      seq,
      holder,
      epoch: fence.epoch,
      started_at: now,
      finished_at: null,
      ...{ checked: 0, failed: 0, pruned: 0, unrouted: 0, withheld: 0, withheld_reason: null },
    };
    await guard(
      this.client.send(new PutCommand({ TableName: this.table, Item: { ...KEYS.round(seq), ...round } })),
    );
    return seq;
  }

  async finish(seq: number, tally: RoundTally, fence: Fence, now = Date.now()): Promise<void> {
    const values = Object.fromEntries(
      Object.entries({ finished_at: now, ...tally }).map(([k, v]) => [`:${k}`, v]),
    );
    const sets = Object.keys(values).map((k) => `${k.slice(1)} = ${k}`);
    await fencedTransact(
      this.client,
      [
        fenceCheck(this.table, fence.epoch),
        {
          Update: {
            TableName: this.table,
            Key: KEYS.round(seq),
            UpdateExpression: `SET ${sets.join(', ')}`,
            ExpressionAttributeValues: values,
          },
        },
        // The round that falls out of the log: the log stays ROUNDS_KEPT long without a scan.
        ...(seq > ROUNDS_KEPT
          ? [{ Delete: { TableName: this.table, Key: KEYS.round(seq - ROUNDS_KEPT) } }]
          : []),
      ],
      fence.epoch,
    );
  }

  async recent(limit: number): Promise<RoundRecord[]> {
    const { Items = [] } = await guard(
      this.client.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': 'rounds' },
          ScanIndexForward: false,
          Limit: limit,
          ConsistentRead: true,
        }),
      ),
    );
    return Items.map(({ pk: _pk, sk: _sk, ...round }) => round as RoundRecord);
  }
}
