import { type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { toDomainError } from '@app/dynamodb';
import { StoreUnavailableError } from '@app/errors';
import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { DYNAMODB_DOCUMENT } from '../dynamodb/dynamodb.module';
import { POLLS_CONFIG, type PollsConfig } from '../polls.config';
import { countKey, type Vote } from './poll';
import { type CancellationReason, voteFailure } from './vote-outcome';

/** Transactions cancelled by a concurrent one or by throttling (Amazon DynamoDB) are tried this many times. */
const CONFLICT_ATTEMPTS = 4;

/** The votes table, written together with the poll's counts in one transaction. */
@Injectable()
export class VotesRepository {
  private readonly polls: string;
  private readonly votes: string;

  constructor(
    @Inject(DYNAMODB_DOCUMENT) private readonly db: DynamoDBDocumentClient,
    @Inject(POLLS_CONFIG) config: PollsConfig,
  ) {
    this.polls = config.POLLS_TABLE;
    this.votes = config.VOTES_TABLE;
  }

  /**
   * Records `vote` and counts it, or neither: the vote is put only if the user has not voted in
   * this poll, and counted only if the poll exists and has the choice. The choice is an attribute
   * *name* placeholder's value, so whatever it says stays data.
   */
  async record(vote: Vote): Promise<Vote> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.db.send(this.transaction(vote));
        return vote;
      } catch (error) {
        if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') {
          throw toDomainError(error);
        }
        const reasons = (error as { CancellationReasons?: CancellationReason[] }).CancellationReasons;
        const failure = voteFailure(reasons, vote);
        if (!failure.retry) throw failure.error;
        if (attempt >= CONFLICT_ATTEMPTS) {
          throw new StoreUnavailableError('dynamodb', `${failure.reason}, ${attempt} attempts`);
        }
        await sleep(Math.random() * 20 * attempt);
      }
    }
  }

  private transaction(vote: Vote): TransactWriteCommand {
    return new TransactWriteCommand({
      // Makes the SDK's own retry (after a timeout) idempotent: a vote it already applied is not a 409.
      ClientRequestToken: randomUUID(),
      TransactItems: [
        {
          Put: {
            TableName: this.votes,
            Item: vote,
            ConditionExpression: 'attribute_not_exists(polls_id)',
          },
        },
        {
          Update: {
            TableName: this.polls,
            Key: { polls_id: vote.polls_id },
            UpdateExpression: 'SET #counts.#choice = #counts.#choice + :one, #total = #total + :one',
            ConditionExpression: 'attribute_exists(#counts.#choice)',
            ExpressionAttributeNames: {
              '#counts': 'counts',
              '#choice': countKey(vote.choice),
              '#total': 'total_votes',
            },
            ExpressionAttributeValues: { ':one': 1 },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        },
      ],
    });
  }
}
