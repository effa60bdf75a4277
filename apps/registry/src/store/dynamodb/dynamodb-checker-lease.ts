import { guard } from '@app/dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { LeaseRecord } from '../records';
import { CheckerLease } from '../registry-store';
import { KEYS } from './registry-table';

const refused = (error: unknown) =>
  error instanceof ConditionalCheckFailedException ||
  (error as Error)?.name === 'ConditionalCheckFailedException';

/** The checker's lease as one DynamoDB item, every change a conditional update. */
export class DynamoCheckerLease extends CheckerLease {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {
    super();
  }

  async read(): Promise<LeaseRecord | undefined> {
    const { Item } = await guard(
      this.client.send(new GetCommand({ TableName: this.table, Key: KEYS.lease, ConsistentRead: true })),
    );
    return Item && { holder: Item.holder as string, rvn: Item.rvn as string, epoch: Item.epoch as number };
  }

  async take(holder: string, seenRvn: string | null, rvn: string): Promise<number | undefined> {
    try {
      const { Attributes } = await guard(
        this.client.send(
          new UpdateCommand({
            TableName: this.table,
            Key: KEYS.lease,
            UpdateExpression: 'SET holder = :holder, rvn = :rvn ADD epoch :one',
            ConditionExpression:
              seenRvn === null
                ? 'attribute_not_exists(pk) OR holder = :none'
                : 'rvn = :seen OR holder = :none',
            ExpressionAttributeValues: {
              ...{ ':holder': holder, ':rvn': rvn, ':one': 1, ':none': '' },
              ...(seenRvn !== null && { ':seen': seenRvn }),
            },
            ReturnValues: 'UPDATED_NEW',
          }),
        ),
      );
      return Attributes!.epoch as number;
    } catch (error) {
      if (refused(error)) return undefined;
      throw error;
    }
  }

  async renew(holder: string, epoch: number, rvn: string): Promise<boolean> {
    return this.ifHeld(holder, epoch, 'SET rvn = :rvn', { ':rvn': rvn });
  }

  async release(holder: string, epoch: number): Promise<void> {
    await this.ifHeld(holder, epoch, 'SET holder = :none', { ':none': '' });
  }

  private async ifHeld(holder: string, epoch: number, update: string, values: Record<string, unknown>) {
    try {
      await guard(
        this.client.send(
          new UpdateCommand({
            TableName: this.table,
            Key: KEYS.lease,
            UpdateExpression: update,
            ConditionExpression: 'holder = :holder AND epoch = :epoch',
            ExpressionAttributeValues: { ':holder': holder, ':epoch': epoch, ...values },
          }),
        ),
      );
      return true;
    } catch (error) {
      if (refused(error)) return false;
      throw error;
    }
  }
}
