import { BadRequestException, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { guard, isUnavailable, toHttpException } from './store-errors';

const sdkError = (name: string, status?: number, extra: object = {}) =>
  Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status }, ...extra });

describe('toHttpException', () => {
  it.each([
    ['a refused connection', Object.assign(new Error('connect'), { code: 'ECONNREFUSED', $metadata: {} })],
    ['a timeout', sdkError('TimeoutError')],
    ['a missing table', sdkError('ResourceNotFoundException', 400, { $fault: 'client' })],
    ['a 500', sdkError('InternalServerError', 500, { $fault: 'server' })],
  ])('is a 503 naming dynamodb for %s', (_, error) => {
    const exception = toHttpException(error);
    expect(exception).toBeInstanceOf(ServiceUnavailableException);
    expect((exception as Error).message).toMatch(/^dynamodb unavailable/);
  });

  it('is a 400 for a request DynamoDB calls invalid', () => {
    expect(toHttpException(sdkError('ValidationException', 400, { $fault: 'client' }))).toBeInstanceOf(
      BadRequestException,
    );
  });

  it('passes HTTP exceptions and programming errors through', () => {
    const notFound = new NotFoundException();
    expect(toHttpException(notFound)).toBe(notFound);
    const bug = new TypeError('oops');
    expect(isUnavailable(bug)).toBe(false);
    expect(toHttpException(bug)).toBe(bug);
  });

  it('guard rejects with the translation', async () => {
    await expect(guard(Promise.reject(sdkError('TimeoutError')))).rejects.toBeInstanceOf(
      ServiceUnavailableException,
    );
  });
});
