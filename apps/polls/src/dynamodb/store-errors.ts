import { BadRequestException, HttpException, ServiceUnavailableException } from '@nestjs/common';

/** DynamoDB could not be reached, or kept us waiting too long: a 503 for the caller. */
export class DynamoUnavailableError extends Error {
  override readonly name = 'DynamoUnavailableError';
}

const UNAVAILABLE = new Set([
  'DynamoUnavailableError',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'ServiceUnavailable',
  'InternalServerError',
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  // A table that is missing (DynamoDB Local restarted in memory, or --init not run) is the store
  // not being ready, not the caller's fault.
  'ResourceNotFoundException',
  'UnrecognizedClientException',
  'CredentialsProviderError',
]);
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
]);

/** True when `error` means DynamoDB is down or unreachable rather than the request being wrong. */
export function isUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { code, $metadata } = error as Error & { code?: string; $metadata?: { httpStatusCode?: number } };
  if (UNAVAILABLE.has(error.name) || (code !== undefined && NETWORK_CODES.has(code))) return true;
  const status = $metadata?.httpStatusCode;
  if (status !== undefined) return status >= 500;
  // The SDK attaches $metadata to what it throws; without a status, DynamoDB never answered.
  return $metadata !== undefined && !('$fault' in error);
}

/**
 * Translates a DynamoDB error the repository did not expect into an HTTP exception: unavailable
 * stores are a 503 naming DynamoDB, a request DynamoDB refuses as invalid a 400, anything else is
 * rethrown (a 500, logged).
 */
export function toHttpException(error: unknown): unknown {
  if (error instanceof HttpException) return error;
  if (isUnavailable(error)) {
    // The kind of failure, not its message: that would show callers the store's address.
    const { code, name, message } = error as Error & { code?: string };
    const kind = error instanceof DynamoUnavailableError ? message : (code ?? name);
    return new ServiceUnavailableException(`dynamodb unavailable (${kind})`);
  }
  if (error instanceof Error && error.name === 'ValidationException') {
    return new BadRequestException(`rejected by dynamodb: ${error.message}`);
  }
  return error;
}

/** Awaits a DynamoDB call, translating its failure with {@link toHttpException}. */
export async function guard<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    throw toHttpException(error);
  }
}
