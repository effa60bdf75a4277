import { ConflictError, DomainError, NotFoundError, RejectedError, StoreUnavailableError } from '@app/errors';
import { toErrorResponse } from '@app/http';
import { voteFailure } from './vote-outcome';

describe('voteFailure', () => {
  const vote = { polls_id: 'p1', username: 'chris', choice: 'maybe' };
  const failed = (Item?: Record<string, unknown>) => ({ Code: 'ConditionalCheckFailed', Item });
  const none = { Code: 'None' };

  const errorOf = (reasons: Parameters<typeof voteFailure>[0]) => {
    const failure = voteFailure(reasons, vote);
    if (failure.retry) throw new Error('expected no retry');
    return failure.error;
  };

  it('is a 404 when the poll is missing, even if the user voted', () => {
    expect(errorOf([failed(), failed()])).toBeInstanceOf(NotFoundError);
  });

  it('is a 400 listing the responses when the choice is unknown', () => {
    const poll = { responses: { L: [{ S: 'yes' }, { S: 'no' }] } };
    const error = errorOf([none, failed(poll)]);
    expect(error).toBeInstanceOf(RejectedError);
    expect(error.message).toContain('"yes", "no"');
  });

  it('is a 409 when the user has voted already', () => {
    expect(errorOf([failed(), none])).toBeInstanceOf(ConflictError);
  });

  it.each([
    'TransactionConflict',
    'ThrottlingError',
    'ProvisionedThroughputExceeded',
    'RequestLimitExceeded',
  ])('retries a transaction cancelled for %s (the store was busy, the vote may be fine)', (Code) => {
    expect(voteFailure([none, { Code }], vote)).toEqual({ retry: true, reason: Code });
  });

  it.each(['InternalServerError', 'ItemCollectionSizeLimitExceeded', 'SomethingNew'])(
    'is dynamodb being unavailable for %s (a 503), never the vote being wrong',
    (Code) => {
      const error = errorOf([{ Code }, none]);
      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect(error.message).toBe(`dynamodb unavailable (${Code})`);
    },
  );

  it('is our bug (a logged 500 that shows the client nothing of it) when DynamoDB finds the request invalid', () => {
    const error = errorOf([{ Code: 'ValidationError', Message: 'bad attribute' }, none]);
    expect(error).not.toBeInstanceOf(DomainError);
    expect(toErrorResponse(error)).toEqual({
      status: 500,
      body: { error: 'Internal Server Error', message: 'Internal server error' },
    });
  });
});
