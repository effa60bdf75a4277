import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { StoreUnavailableError } from '@app/errors';
import { type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { guard } from '@app/dynamodb';
import { setTimeout as sleep } from 'node:timers/promises';
import { FencedError } from '../registry-store';

/** One write of a document-client transaction (the lib-dynamodb form of TransactWriteItem). */
export type TransactItem = NonNullable<
  ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']
>[number];

/** Cancellation reasons that mean DynamoDB is over its capacity: the store is unavailable for now. */
const THROTTLED = new Set(['ThrottlingError', 'ProvisionedThroughputExceeded', 'RequestLimitExceeded']);

/** Tries of a transaction that another one conflicted with (DynamoDB's TransactionConflict). */
const CONFLICT_TRIES = 5;

/** The cancellation reasons' codes, one per item, '' for an item that did not fail. */
export function reasonCodes(error: unknown): string[] | undefined {
  if (!(
    error instanceof TransactionCanceledException || (error as Error)?.name === 'TransactionCanceledException'
  )) {
    return undefined;
  }
  return ((error as TransactionCanceledException).CancellationReasons ?? []).map((r) => r.Code ?? '');
}

/**
 * Runs a transaction, retrying it with jittered backoff while DynamoDB cancels it for a conflict
 * with another transaction (which the caller cannot act on), and translating the store's failures.
 * A cancellation for a condition is thrown as it is, for the caller to read its reasons.
 */
export async function transact(client: DynamoDBDocumentClient, items: TransactItem[]): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await guard(client.send(new TransactWriteCommand({ TransactItems: items })));
      return;
    } catch (error) {
      const codes = reasonCodes(error);
      if (codes?.some((c) => THROTTLED.has(c))) throw new StoreUnavailableError('dynamodb', 'throttled');
      const conflict = codes?.includes('TransactionConflict') && !codes.includes('ConditionalCheckFailed');
      if (!conflict) throw error;
      if (attempt >= CONFLICT_TRIES) throw new StoreUnavailableError('dynamodb', 'TransactionConflict');
      await sleep(Math.random() * 20 * 2 ** attempt);
    }
  }
}

/** The lease check that fences a leader's transaction: put first, so a refusal is reason 0. */
export function fenceCheck(table: string, epoch: number): TransactItem {
  return {
    ConditionCheck: {
      TableName: table,
      Key: { pk: 'lease', sk: 'health-checker' },
      ConditionExpression: 'epoch = :epoch',
      ExpressionAttributeValues: { ':epoch': epoch },
    },
  };
}

/**
 * Runs a fenced transaction (its first item a {@link fenceCheck}): a refused fence is a FencedError;
 * other refused conditions are returned as the indexes (into `items`) of the items refused.
 */
export async function fencedTransact(
  client: DynamoDBDocumentClient,
  items: TransactItem[],
  epoch: number,
): Promise<number[]> {
  try {
    await transact(client, items);
    return [];
  } catch (error) {
    const codes = reasonCodes(error);
    if (!codes) throw error;
    if (codes[0] === 'ConditionalCheckFailed') throw new FencedError(epoch);
    return codes.flatMap((code, i) => (code === 'ConditionalCheckFailed' ? [i] : []));
  }
}
