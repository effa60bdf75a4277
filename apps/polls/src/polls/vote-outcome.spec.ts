import { BadRequestException, ConflictException, NotFoundException } from '@nestjs/common';
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

  it('retries a transaction conflict', () => {
    expect(voteFailure([{ Code: 'TransactionConflict' }, none], vote)).toEqual({ retry: true });
  });
});
