import { StoreUnavailableError } from '@app/errors';
import { redisError } from './redis-errors';

function replyError(message: string): Error {
  const error = new Error(message);
  error.name = 'ReplyError';
  return error;
}

describe(redisError.name, () => {
  it.each([
    new Error("Stream isn't writeable and enableOfflineQueue options is false"),
    new Error('Connection is closed.'),
    new Error('Command timed out'),
    replyError('LOADING Redis is loading the dataset in memory'),
    replyError('MISCONF Errors writing to the AOF file'),
    replyError("READONLY You can't write against a read only replica."),
  ])('makes "%s" the store being unavailable, naming Redis', (error) => {
    const translated = redisError(error);
    expect(translated).toBeInstanceOf(StoreUnavailableError);
    expect(translated).toMatchObject({ store: 'redis', message: 'redis unavailable' });
  });

  it('leaves other replies (a bug, not an outage) as they are', () => {
    const error = replyError('WRONGTYPE Operation against a key holding the wrong kind of value');
    expect(redisError(error)).toBe(error);
  });
});
