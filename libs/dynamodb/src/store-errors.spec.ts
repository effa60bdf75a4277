import { NotFoundError, StoreUnavailableError } from '@app/errors';
import { guard, isUnavailable, toDomainError } from './store-errors';
import { toErrorResponse } from '@app/http';

const sdkError = (name: string, status?: number, extra: object = {}) =>
  Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status }, ...extra });

describe('toDomainError', () => {
  it.each([
    ['a refused connection', Object.assign(new Error('connect'), { code: 'ECONNREFUSED', $metadata: {} })],
    ['a timeout', sdkError('TimeoutError')],
    ['a missing table', sdkError('ResourceNotFoundException', 400, { $fault: 'client' })],
    ['a 500', sdkError('InternalServerError', 500, { $fault: 'server' })],
  ])('is dynamodb being unavailable for %s', (_, error) => {
    const translated = toDomainError(error);
    expect(translated).toBeInstanceOf(StoreUnavailableError);
    expect((translated as Error).message).toMatch(/^dynamodb unavailable/);
  });

  it("leaves a request DynamoDB calls invalid as it is: our bug, a 500 that hides DynamoDB's words", () => {
    const invalid = sdkError('ValidationException', 400, { $fault: 'client' });
    expect(toDomainError(invalid)).toBe(invalid);
    expect(toErrorResponse(toDomainError(invalid)).body.message).toBe('Internal server error');
  });

  it('passes domain errors and programming errors through', () => {
    const notFound = new NotFoundError('no poll p1');
    expect(toDomainError(notFound)).toBe(notFound);
    const bug = new TypeError('oops');
    expect(isUnavailable(bug)).toBe(false);
    expect(toDomainError(bug)).toBe(bug);
  });

  it('guard rejects with the translation', async () => {
    await expect(guard(Promise.reject(sdkError('TimeoutError')))).rejects.toBeInstanceOf(
      StoreUnavailableError,
    );
  });
});
