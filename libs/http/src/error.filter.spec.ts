import { ConflictError, NotFoundError, RejectedError, StoreUnavailableError } from '@app/errors';
import { BadRequestException, HttpException } from '@nestjs/common';
import { toErrorResponse } from './error.filter';

describe(toErrorResponse.name, () => {
  it.each([
    [new NotFoundError('no poll p1'), 404, 'Not Found'],
    [new ConflictError('ann has already voted in poll p1'), 409, 'Conflict'],
    [new RejectedError('choice: "x" is not a response of poll p1'), 400, 'Bad Request'],
    [new StoreUnavailableError('redis'), 503, 'Service Unavailable'],
  ])('maps the domain error %p to %i', (error, status, reason) => {
    expect(toErrorResponse(error)).toEqual({ status, body: { error: reason, message: error.message } });
  });

  it('names the store and why in a 503', () => {
    expect(toErrorResponse(new StoreUnavailableError('dynamodb', 'ThrottlingError')).body.message).toBe(
      'dynamodb unavailable (ThrottlingError)',
    );
  });

  it("keeps Nest's own HTTP exceptions, and hides what it does not know behind a 500", () => {
    expect(toErrorResponse(new BadRequestException('limit: too big'))).toEqual({
      status: 400,
      body: { error: 'Bad Request', message: 'limit: too big' },
    });
    expect(toErrorResponse(new TypeError('secret detail'))).toEqual({
      status: 500,
      body: { error: 'Internal Server Error', message: 'Internal server error' },
    });
  });

  it("says the limit in a 413 and the types taken in a 415, in place of Fastify's words", () => {
    const fastify = (code: string, statusCode: number, message: string) =>
      Object.assign(new Error(message), { code, statusCode });
    expect(toErrorResponse(fastify('FST_ERR_CTP_BODY_TOO_LARGE', 413, 'Request body is too large'))).toEqual({
      status: 413,
      body: {
        error: 'Payload Too Large',
        message: 'The body is larger than the limit of 64 KiB (65536 bytes)',
      },
    });
    // As Nest hands it over: wrapped in an HttpException.
    const tooLarge = fastify('FST_ERR_CTP_BODY_TOO_LARGE', 413, 'Request body is too large');
    expect(toErrorResponse(new HttpException(tooLarge.message, 413, { cause: tooLarge })).body.message).toBe(
      'The body is larger than the limit of 64 KiB (65536 bytes)',
    );
    expect(
      toErrorResponse(fastify('FST_ERR_CTP_INVALID_MEDIA_TYPE', 415, 'Unsupported Media Type: text/plain')),
    ).toEqual({
      status: 415,
      body: {
        error: 'Unsupported Media Type',
        message:
          'Content type text/plain is not accepted; send application/json or application/x-www-form-urlencoded',
      },
    });
  });
});
