import { z } from 'zod';
import { count, millis } from '@app/config';

/** An http(s) URL, or empty for Amazon DynamoDB (the SDK's regional endpoint). */
const optionalEndpoint = z
  .string()
  .default('http://127.0.0.1:8100')
  .transform((v) => v.trim().replace(/\/+$/, '') || undefined)
  .refine((v) => v === undefined || /^https?:\/\/[^/]+$/.test(v), 'must be an http(s) URL or empty');

/**
 * Where DynamoDB is and how hard to try it, with their defaults: what {@link createDynamoClient}
 * reads. An app adds them to its own environment, e.g. `serverEnv.extend({ ...dynamoEnv.shape, ... })`,
 * and parses it with {@link localEndpointDefault} applied.
 */
export const dynamoEnv = z.object({
  /** DynamoDB Local by default; empty means Amazon DynamoDB in AWS_REGION with the SDK's credentials. */
  DYNAMODB_ENDPOINT: optionalEndpoint,
  AWS_REGION: z.string().min(1).default('us-east-1'),
  DYNAMODB_CONNECT_TIMEOUT_MS: millis(1_000),
  DYNAMODB_REQUEST_TIMEOUT_MS: millis(2_000),
  DYNAMODB_MAX_ATTEMPTS: count(2),
  /** Requests in flight to DynamoDB per instance; more wait in the app, outside the SDK's timeouts. */
  DYNAMODB_CONCURRENCY: count(8),
  /** The longest a request may wait for one of those slots before it is a 503. */
  DYNAMODB_QUEUE_TIMEOUT_MS: millis(10_000),
});

/** The parsed form of {@link dynamoEnv}: a {@link DynamoSettings} (dynamodb.env.spec.ts checks it). */
export type DynamoEnv = z.output<typeof dynamoEnv>;

/**
 * `env` with DYNAMODB_ENDPOINT defaulted to DynamoDB Local on DYNAMODB_PORT (.env) when that is set
 * and no endpoint is given (an endpoint given, even empty, is kept).
 */
export function localEndpointDefault(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const local = env.DYNAMODB_PORT ? { DYNAMODB_ENDPOINT: `http://127.0.0.1:${env.DYNAMODB_PORT}` } : {};
  return { ...local, ...env };
}
