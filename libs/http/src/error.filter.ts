import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
  NotFoundException,
} from '@nestjs/common';
import { DomainError, DomainErrorCode, StoreUnavailableError } from '@app/errors';
import { StoreErrorMetrics } from '@app/metrics';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import { z } from 'zod';
import { methodsAllowedFor } from './allowed-methods';
import { BODY_TOO_LARGE, unsupportedType } from './body-parsers';
import { PARAM_TOO_LONG } from './limits';
import { keepReadingOversizedBody } from './oversized-bodies';

/** The JSON body of every error response: a reason phrase and a sentence for humans (OpenAPI's `Error`). */
export const errorBody = z
  .object({
    error: z.string().meta({ example: 'Bad Request' }),
    message: z.string().meta({ example: 'username: must be a username' }),
  })
  .meta({ id: 'Error', description: "Every error: the status's reason phrase and a sentence for humans." });

/** The JSON body of every error response, as {@link errorBody} describes it. */
export type ErrorBody = z.infer<typeof errorBody>;

/** The error body for `status`: its reason phrase, and `message`. */
export const errorBodyOf = (status: number, message: string): ErrorBody => ({
  error: STATUS_CODES[status] ?? 'Error',
  message,
});

/** Turns any thrown value into `{ error, message }` with the right status; unknown errors are a logged 500. */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger(ErrorFilter.name);

  constructor(private readonly storeErrors: StoreErrorMetrics) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    if (exception instanceof StoreUnavailableError) this.storeErrors.count(exception.store);
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();
    if (exception instanceof NotFoundException) {
      const path = request.url.split('?', 1)[0];
      const allow = methodsAllowedFor(request, path)?.join(', ');
      if (allow !== undefined) {
        const message = `${request.method} is not served on ${path}; it takes ${allow}`;
        void reply
          .status(HttpStatus.METHOD_NOT_ALLOWED)
          .header('allow', allow)
          .send(errorBodyOf(HttpStatus.METHOD_NOT_ALLOWED, message));
        return;
      }
    }
    const { status, body } = toErrorResponse(exception);
    // A bug, not an answer a route chose (a 503 names a store; an HttpException is deliberate).
    if (status >= 500 && status !== 503 && !(exception instanceof HttpException))
      this.logger.error(exception);
    if (status === 413) keepReadingOversizedBody(request, reply);
    void reply.status(status).send(body);
  }
}

/** The one place where the domain's failures become HTTP statuses. */
const STATUS_OF: Record<DomainErrorCode, number> = {
  [DomainErrorCode.NotFound]: HttpStatus.NOT_FOUND,
  [DomainErrorCode.Conflict]: HttpStatus.CONFLICT,
  [DomainErrorCode.Rejected]: HttpStatus.BAD_REQUEST,
  [DomainErrorCode.StoreUnavailable]: HttpStatus.SERVICE_UNAVAILABLE,
  [DomainErrorCode.Overloaded]: HttpStatus.TOO_MANY_REQUESTS,
};

/** Maps an exception to a status and an {@link ErrorBody}. Nest routes Fastify's own errors here too. */
export function toErrorResponse(exception: unknown): { status: number; body: ErrorBody } {
  if (exception instanceof DomainError) {
    const status = STATUS_OF[exception.code];
    return { status, body: errorBodyOf(status, exception.message) };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const response = exception.getResponse();
    // Nest wraps Fastify's own 4xx errors (body too large, bad content type) in an HttpException.
    const cause = exception.cause as Partial<FastifyError> | undefined;
    const message =
      typeof cause?.code === 'string' && cause.code.startsWith('FST_')
        ? fastifyMessage(cause as FastifyError)
        : typeof response === 'string'
          ? response
          : messageOf((response as { message?: unknown }).message);
    return { status, body: errorBodyOf(status, message ?? exception.message) };
  }
  // Fastify's own errors (bad JSON, body too large, bad content type) carry a 4xx statusCode.
  const statusCode = (exception as { statusCode?: unknown })?.statusCode;
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    return { status: statusCode, body: errorBodyOf(statusCode, fastifyMessage(exception as FastifyError)) };
  }
  const status = HttpStatus.INTERNAL_SERVER_ERROR;
  return { status, body: errorBodyOf(status, 'Internal server error') };
}

/** Fastify's words for a refused body, in Chirp's: what the limit is, which types are taken. */
function fastifyMessage(error: FastifyError): string {
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return BODY_TOO_LARGE;
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') return PARAM_TOO_LONG;
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
    return unsupportedType(/^Unsupported Media Type: (.*)$/.exec(error.message)?.[1] ?? '');
  return error.message;
}

function messageOf(value: unknown): string | undefined {
  if (Array.isArray(value)) return value.join('; ');
  return typeof value === 'string' ? value : undefined;
}
