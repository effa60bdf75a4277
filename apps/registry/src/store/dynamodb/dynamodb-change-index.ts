import { guard } from '@app/dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ChangeIndex } from '../registry-store';
import { KEYS } from './registry-table';

/**
 * The change index as one DynamoDB item, read with ConsistentRead so it never goes backwards. On
 * Amazon DynamoDB it is a hot item: every change writes it (see docs/ARCHITECTURE.md for its limit).
 */
export class DynamoChangeIndex extends ChangeIndex {
  /** One strongly consistent read every 200 ms, only while a query is held. */
  readonly pollMs = 200;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {
    super();
  }

  async current(): Promise<number> {
    const { Item } = await guard(
      this.client.send(
        new GetCommand({
          TableName: this.table,
          Key: KEYS.index,
          ConsistentRead: true,
          ProjectionExpression: '#value',
          ExpressionAttributeNames: { '#value': 'value' },
        }),
      ),
    );
    return (Item?.value as number | undefined) ?? 1;
  }

  async bump(): Promise<number> {
    const { Attributes } = await guard(
      this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: KEYS.index,
          UpdateExpression: 'SET #value = if_not_exists(#value, :one) + :one',
          ExpressionAttributeNames: { '#value': 'value' },
          ExpressionAttributeValues: { ':one': 1 },
          ReturnValues: 'UPDATED_NEW',
        }),
      ),
    );
    this.changed();
    return Attributes!.value as number;
  }
}
