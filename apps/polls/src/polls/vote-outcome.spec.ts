import {
  BadRequestException,
  ConflictException,
  NotFoundException,
  ServiceUnavailableException,
} from '@nestjs/common';
import { voteFailure } from './vote-outcome';

describe('voteFailure', () => {
  const vote = { polls_id: 'p1', username: 'chris', choice: 'maybe' };
  const failed = (Item?: Record<string, unknown>) => ({ Code: 'ConditionalCheckFailed', Item });
  const none = { Code: 'None' };

  const exceptionOf = (reasons: Parameters<typeof voteFailure>[0]) => {
    const failure = voteFailure(reasons, vote);
    if (failure.retry) throw new Error('expected no retry');
    return failure.exception;
  };

  it('is a 404 when the poll is missing, even if the user voted', () => {
    expect(exceptionOf([failed(), failed()])).toBeInstanceOf(NotFoundException);
  });

  it('is a 400 listing the responses when the choice is unknown', () => {
    const poll = { responses: { L: [{ S: 'yes' }, { S: 'no' }] } };
    const exception = exceptionOf([none, failed(poll)]);
    expect(exception).toBeInstanceOf(BadRequestException);
    expect(exception.message).toContain('"yes", "no"');
  });

  it('is a 409 when the user has voted already', () => {
    expect(exceptionOf([failed(), none])).toBeInstanceOf(ConflictException);
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
    'is a 503 naming dynamodb for %s, never a 400 blaming the vote',
    (Code) => {
      const exception = exceptionOf([{ Code }, none]);
      expect(exception).toBeInstanceOf(ServiceUnavailableException);
      expect(exception.message).toBe(`dynamodb unavailable (${Code})`);
    },
  );

  it('is a 400 when DynamoDB finds the request invalid', () => {
    const exception = exceptionOf([{ Code: 'ValidationError', Message: 'bad attribute' }, none]);
    expect(exception).toBeInstanceOf(BadRequestException);
    expect(exception.message).toBe('vote rejected by dynamodb: bad attribute');
  });
});
