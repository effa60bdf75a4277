import { z } from 'zod';
import { count, millis, parseEnv, serverEnv } from '@app/config';

/** An http(s) URL, or empty for Amazon DynamoDB (the SDK's regional endpoint). */
const optionalEndpoint = z
  .string()
  .default('http://127.0.0.1:8100')
  .transform((v) => v.trim().replace(/\/+$/, '') || undefined)
  .refine((v) => v === undefined || /^https?:\/\/[^/]+$/.test(v), 'must be an http(s) URL or empty');

const tableName = (fallback: string) =>
  z
    .string()
    .regex(/^[A-Za-z0-9_.-]{3,255}$/, 'must be 3-255 letters, digits, "_", "-" or "."')
    .default(fallback);

/** The polls service's environment: where DynamoDB is, its table names, and how hard to try it. */
export const pollsEnv = serverEnv.extend({
  PORT: serverEnv.shape.PORT.default(5401),
  /** DynamoDB Local by default; empty means Amazon DynamoDB in AWS_REGION with the SDK's credentials. */
  DYNAMODB_ENDPOINT: optionalEndpoint,
  AWS_REGION: z.string().min(1).default('us-east-1'),
  POLLS_TABLE: tableName('polls'),
  POLLS_TITLE_INDEX: tableName('polls_title-index'),
  VOTES_TABLE: tableName('votes'),
  /** Where `--init` keeps DynamoDB Local's files when it has to start it (as the Procfile does). */
  DYNAMODB_DATA_DIR: z.string().min(1).default('var/dynamodb'),
  DYNAMODB_CONNECT_TIMEOUT_MS: millis(1_000),
  DYNAMODB_REQUEST_TIMEOUT_MS: millis(2_000),
  DYNAMODB_MAX_ATTEMPTS: count(2),
  /** Requests in flight to DynamoDB per instance; more wait in the app, outside the SDK's timeouts. */
  DYNAMODB_CONCURRENCY: count(8),
  /** The longest a request may wait for one of those slots before it is a 503. */
  DYNAMODB_QUEUE_TIMEOUT_MS: millis(10_000),
});

/** The polls service's validated configuration. */
export type PollsConfig = z.output<typeof pollsEnv>;

/** Injection token of {@link PollsConfig}. */
export const POLLS_CONFIG = Symbol('POLLS_CONFIG');

/** Parses the environment; without DYNAMODB_ENDPOINT, DynamoDB Local is sought on DYNAMODB_PORT (.env). */
export function loadPollsConfig(env: NodeJS.ProcessEnv = process.env): PollsConfig {
  const local = env.DYNAMODB_PORT ? { DYNAMODB_ENDPOINT: `http://127.0.0.1:${env.DYNAMODB_PORT}` } : {};
  return parseEnv(pollsEnv, { ...local, ...env });
}
