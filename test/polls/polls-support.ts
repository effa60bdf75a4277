import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { initTables as createTables } from '../../apps/polls/src/dynamodb/init';
import { loadPollsConfig } from '../../apps/polls/src/polls.config';
import { PollsModule } from '../../apps/polls/src/polls.module';
import { startInProcess, type StoreProcess } from '../support';

/** What the polls API answers, as the tests read it. */
export interface ChoiceCount {
  choice: string;
  votes: number;
}
export interface Poll {
  polls_id: string;
  polls_title: string;
  username: string;
  responses: string[];
  created_at: string;
  total_votes: number;
  results: ChoiceCount[];
}
export interface Page<T> {
  items: T[];
  cursor: string | null;
}
export interface ErrorBody {
  error: string;
  message: string;
}

const run = promisify(execFile);
// The tests' own SDK clients: Node 20 is supported here, the SDK's notice about its future is noise.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** The polls app's environment against a test DynamoDB Local (tables named per test file). */
export function pollsEnv(dynamo: StoreProcess, prefix: string): NodeJS.ProcessEnv {
  return {
    DYNAMODB_ENDPOINT: `http://127.0.0.1:${dynamo.port}`,
    POLLS_TABLE: `${prefix}-polls`,
    POLLS_TITLE_INDEX: `${prefix}-polls-title`,
    VOTES_TABLE: `${prefix}-votes`,
    // Nothing listens here: registration keeps retrying quietly, which these tests do not need.
    REGISTRY_URL: 'http://127.0.0.1:9',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

/** Runs `main.js --init` as bin/init.sh does; resolves with its output. */
export async function initTables(env: NodeJS.ProcessEnv): Promise<string> {
  const { stdout, stderr } = await run(process.execPath, ['dist/apps/polls/main.js', '--init'], {
    env: { ...process.env, ...env },
    timeout: 120_000,
  });
  return stdout + stderr;
}

/** The polls module in this process, its tables created first: no build, no port. */
export async function startPollsInProcess(env: NodeJS.ProcessEnv): Promise<NestFastifyApplication> {
  const config = loadPollsConfig({ ...env, LOG_LEVEL: 'error' });
  await createTables(config, () => undefined);
  return startInProcess(PollsModule.forRoot(config), config);
}

/** A document client on the same DynamoDB Local (and account) as the app, to check what it stored. */
export function directClient(env: NodeJS.ProcessEnv): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: env.DYNAMODB_ENDPOINT,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
}

/** Every vote stored for a poll, read straight from the votes table. */
export async function storedVotes(
  db: DynamoDBDocumentClient,
  env: NodeJS.ProcessEnv,
  pollsId: string,
): Promise<{ username: string; choice: string }[]> {
  const votes: { username: string; choice: string }[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new QueryCommand({
        TableName: env.VOTES_TABLE,
        KeyConditionExpression: 'polls_id = :id',
        ExpressionAttributeValues: { ':id': pollsId },
        ConsistentRead: true,
        ExclusiveStartKey,
      }),
    );
    votes.push(...((page.Items ?? []) as { username: string; choice: string }[]));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return votes;
}

/** A query string from pairs, encoded. */
export const qs = (params: Record<string, string | number>): string =>
  '?' +
  new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)])).toString();
