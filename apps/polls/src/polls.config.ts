import { z } from 'zod';
import { parseEnv, serverEnv } from '@app/config';
import { dynamoEnv, localEndpointDefault } from '@app/dynamodb';

const tableName = (fallback: string) =>
  z
    .string()
    .regex(/^[A-Za-z0-9_.-]{3,255}$/, 'must be 3-255 letters, digits, "_", "-" or "."')
    .default(fallback);

/** The polls service's environment: where DynamoDB is, its table names, and how hard to try it. */
export const pollsEnv = serverEnv.extend({
  PORT: serverEnv.shape.PORT.default(5401),
  /** DYNAMODB_ENDPOINT (DynamoDB Local on :8100 by default), AWS_REGION, timeouts, retries, concurrency. */
  ...dynamoEnv.shape,
  POLLS_TABLE: tableName('polls'),
  POLLS_TITLE_INDEX: tableName('polls_title-index'),
  VOTES_TABLE: tableName('votes'),
  /** Where `--init` keeps DynamoDB Local's files when it has to start it (as the Procfile does). */
  DYNAMODB_DATA_DIR: z.string().min(1).default('var/dynamodb'),
});

/** The polls service's validated configuration. */
export type PollsConfig = z.output<typeof pollsEnv>;

/** Injection token of {@link PollsConfig}. */
export const POLLS_CONFIG = Symbol('POLLS_CONFIG');

/** Parses the environment; without DYNAMODB_ENDPOINT, DynamoDB Local is sought on DYNAMODB_PORT (.env). */
export function loadPollsConfig(env: NodeJS.ProcessEnv = process.env): PollsConfig {
  return parseEnv(pollsEnv, localEndpointDefault(env));
}
