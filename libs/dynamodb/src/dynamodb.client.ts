import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Semaphore, withTimeout } from 'async-mutex';
import { DynamoLiveness } from './dynamo-liveness';
import { DynamoUnavailableError, isUnavailable } from './store-errors';

/**
 * What {@link createDynamoClient} reads: the variables of {@link dynamoEnv}, as parsed, so an app's
 * whole config (which extends `dynamoEnv`) can be passed as it is.
 */
export interface DynamoSettings {
  /** DynamoDB Local (or another endpoint); undefined means Amazon DynamoDB in AWS_REGION. */
  readonly DYNAMODB_ENDPOINT?: string | undefined;
  readonly AWS_REGION: string;
  readonly DYNAMODB_MAX_ATTEMPTS: number;
  readonly DYNAMODB_CONNECT_TIMEOUT_MS: number;
  readonly DYNAMODB_REQUEST_TIMEOUT_MS: number;
  /** Requests in flight at once; more wait in the app, outside the SDK's timeouts. */
  readonly DYNAMODB_CONCURRENCY: number;
  /** The longest a request waits for one of those slots before it fails as unavailable. */
  readonly DYNAMODB_QUEUE_TIMEOUT_MS: number;
}

/** How long a DynamoDB answer to live traffic vouches for its health. */
export const HEALTH_FRESH_MS = 1_000;

/**
 * A DynamoDB client that fails fast (short timeouts, few retries) and keeps at most
 * DYNAMODB_CONCURRENCY requests in flight: the rest queue here, where waiting does not count
 * against the SDK's request timeout, instead of piling up inside DynamoDB Local. Every outcome
 * is noted in `liveness`.
 */
export function createDynamoClient(
  config: DynamoSettings,
  liveness = new DynamoLiveness(HEALTH_FRESH_MS),
): DynamoDBClient {
  const local = config.DYNAMODB_ENDPOINT !== undefined;
  const client = new DynamoDBClient({
    region: config.AWS_REGION,
    endpoint: config.DYNAMODB_ENDPOINT,
    // DynamoDB Local accepts any credentials; Amazon DynamoDB gets the SDK's default chain.
    credentials: local ? { accessKeyId: 'local', secretAccessKey: 'local' } : undefined,
    maxAttempts: config.DYNAMODB_MAX_ATTEMPTS,
    requestHandler: {
      connectionTimeout: config.DYNAMODB_CONNECT_TIMEOUT_MS,
      requestTimeout: config.DYNAMODB_REQUEST_TIMEOUT_MS,
      throwOnRequestTimeout: true,
      // Two sockets beyond the limit for health probes, which skip the queue.
      httpAgent: { keepAlive: true, maxSockets: config.DYNAMODB_CONCURRENCY + 2 },
      httpsAgent: { keepAlive: true, maxSockets: config.DYNAMODB_CONCURRENCY + 2 },
    },
  });
  const slots = new Semaphore(config.DYNAMODB_CONCURRENCY);
  const queue = withTimeout(
    slots,
    config.DYNAMODB_QUEUE_TIMEOUT_MS,
    new DynamoUnavailableError('too many requests waiting'),
  );
  // A free slot is taken at once; only a request that has to wait arms the queue's timer (a timer
  // and a second awaiter on every request were 9 µs of a polls read, bench/polls.bench.mjs's profile).
  const limited = <T>(work: () => Promise<T>): Promise<T> =>
    (slots.isLocked() ? queue : slots).runExclusive(work);
  client.middlewareStack.add(
    (next, context) => async (args) => {
      try {
        // A health probe must not wait behind a busy queue, or the registry prunes a healthy instance.
        const output = await (context.commandName === 'DescribeTableCommand'
          ? next(args)
          : limited(() => next(args)));
        liveness.answered();
        return output;
      } catch (error) {
        if (isUnavailable(error)) liveness.failed();
        else liveness.answered();
        throw error;
      }
    },
    { step: 'initialize', name: 'chirpConcurrencyLimit' },
  );
  return client;
}

/** The document client over `client` (same connection pool and limit); items as plain objects. */
export function documentClient(client: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}
