import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { StoreUnavailableError } from '@app/errors';
import { FencedError } from '../registry-store';
import { fencedTransact, fenceCheck, transact } from './transact';

/** DynamoDB's cancellation of a transaction, with one reason code per item ('' for None). */
const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: { httpStatusCode: 400 },
    CancellationReasons: codes.map((Code) => ({ Code: Code || 'None' })),
  });

/** A document client whose `send` answers from `answers` in turn (an error is thrown). */
const stub = (...answers: unknown[]) => {
  const send = jest.fn(() => {
    const answer = answers.shift();
    return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer ?? {});
  });
  return { client: { send } as unknown as DynamoDBDocumentClient, send };
};

const item = fenceCheck('registry', 3);

// DynamoDB Local never raises TransactionConflict, so the retry is shown on a stub.
describe(transact.name, () => {
  it('retries a transaction another one conflicted with, then succeeds', async () => {
    const { client, send } = stub(cancelled('', 'TransactionConflict'), cancelled('TransactionConflict'), {});
    await transact(client, [item]);
    expect(send).toHaveBeenCalledTimes(3);
  });

  it('gives up after five conflicts: the store is unavailable for now', async () => {
    const conflicts = Array.from({ length: 5 }, () => cancelled('TransactionConflict'));
    const { client, send } = stub(...conflicts);
    await expect(transact(client, [item])).rejects.toEqual(
      new StoreUnavailableError('dynamodb', 'TransactionConflict'),
    );
    expect(send).toHaveBeenCalledTimes(5);
  });

  it('does not retry a refused condition, and names throttling as unavailable', async () => {
    const refused = stub(cancelled('ConditionalCheckFailed', 'TransactionConflict'));
    await expect(transact(refused.client, [item])).rejects.toBeInstanceOf(TransactionCanceledException);
    expect(refused.send).toHaveBeenCalledTimes(1);
    const throttled = stub(cancelled('', 'ThrottlingError'));
    await expect(transact(throttled.client, [item])).rejects.toEqual(
      new StoreUnavailableError('dynamodb', 'throttled'),
    );
  });
});

describe(fencedTransact.name, () => {
  it('is a FencedError when the lease check (the first item) is refused', async () => {
    const { client } = stub(cancelled('ConditionalCheckFailed', ''));
    await expect(fencedTransact(client, [item, item], 3)).rejects.toEqual(new FencedError(3));
  });

  it('returns the items whose own conditions were refused', async () => {
    const { client } = stub(cancelled('', '', 'ConditionalCheckFailed', ''));
    expect(await fencedTransact(client, [item, item, item, item], 3)).toEqual([2]);
  });
});
