// The SDK operations behind a vote and a poll's results, as apps/polls issues them, for the
// benchmark's two baselines: called directly by polls.bench.mjs and served by baseline-polls.mjs.
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** A document client with the app's settings: short timeouts, two attempts, keep-alive sockets. */
export const documentClient = (endpoint, sockets = 64) =>
  DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 2,
      requestHandler: {
        connectionTimeout: 1000,
        requestTimeout: 2000,
        throwOnRequestTimeout: true,
        httpAgent: { keepAlive: true, maxSockets: sockets },
      },
    }),
  );

/** One vote: the vote put and its count raised in one transaction with conditions. */
export const vote = (db, tables, { polls_id, username, choice }) =>
  db.send(
    new TransactWriteCommand({
      ClientRequestToken: randomUUID(),
      TransactItems: [
        {
          Put: {
            TableName: tables.votes,
            Item: { polls_id, username, choice, voted_at: new Date().toISOString() },
            ConditionExpression: 'attribute_not_exists(polls_id)',
          },
        },
        {
          Update: {
            TableName: tables.polls,
            Key: { polls_id },
            UpdateExpression: 'SET #counts.#choice = #counts.#choice + :one, #total = #total + :one',
            ConditionExpression: 'attribute_exists(#counts.#choice)',
            ExpressionAttributeNames: { '#counts': 'counts', '#choice': choice, '#total': 'total_votes' },
            ExpressionAttributeValues: { ':one': 1 },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        },
      ],
    }),
  );

/** A poll's results: one consistent GetItem, shaped as the app shapes them (undefined: no poll). */
export async function results(db, tables, pollsId) {
  const { Item } = await db.send(
    new GetCommand({ TableName: tables.polls, Key: { polls_id: pollsId }, ConsistentRead: true }),
  );
  if (!Item) return undefined;
  return {
    polls_id: Item.polls_id,
    polls_title: Item.polls_title,
    total_votes: Number(Item.total_votes),
    results: Item.responses.map((choice) => ({ choice, votes: Number(Item.counts[choice] ?? 0) })),
  };
}
