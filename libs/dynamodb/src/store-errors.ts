import { DomainError, StoreUnavailableError } from '@app/errors';

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
 * Translates a DynamoDB error the repository did not expect into the domain's words: an unavailable
 * store is "dynamodb unavailable" with the kind of failure, a request DynamoDB refuses as invalid is
 * rejected, anything else is rethrown as it is (a bug: a logged 500).
 */
export function toDomainError(error: unknown): unknown {
  if (error instanceof DomainError) return error;
  if (isUnavailable(error)) {
    // The kind of failure, not its message: that would show callers the store's address.
    const { code, name, message } = error as Error & { code?: string };
    return new StoreUnavailableError(
      'dynamodb',
      error instanceof DynamoUnavailableError ? message : (code ?? name),
    );
  }
  // Anything else, a ValidationException included (a request that passed its checks and is still
  // invalid to DynamoDB is our bug), goes on as it is: a logged 500 that shows the client none of it.
  return error;
}

/** Awaits a DynamoDB call, translating its failure with {@link toDomainError}. */
export async function guard<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    throw toDomainError(error);
  }
}
