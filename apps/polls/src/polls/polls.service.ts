import { NotFoundError, RejectedError } from '@app/errors';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { CreatePoll, PageQuery, ResultsQuery, TitleQuery, VoteInput } from './dto/poll.schema';
import { type ChoiceResults, type Poll, type PollResults, toPoll, toPollResults } from './dto/poll.view';
import { newPollItem, type Page, type PollItem, type Vote } from './poll';
import { PollsRepository } from './polls.repository';
import { VotesRepository } from './votes.repository';

/** Polls: create, look up by id or title, vote once per user, and count. */
@Injectable()
export class PollsService {
  constructor(
    private readonly polls: PollsRepository,
    private readonly votes: VotesRepository,
  ) {}

  async create(input: CreatePoll): Promise<Poll> {
    const item = newPollItem({ ...input, polls_id: randomUUID(), created_at: new Date().toISOString() });
    return toPoll(await this.polls.create(item));
  }

  async get(pollsId: string): Promise<Poll> {
    return toPoll(await this.find(pollsId));
  }

  async byTitle({ title, limit, cursor }: TitleQuery): Promise<Page<Poll>> {
    const page = await this.polls.byTitle(title, limit, cursor);
    return { items: page.items.map(toPoll), cursor: page.cursor };
  }

  vote(input: VoteInput): Promise<Vote> {
    return this.votes.record({ ...input, voted_at: new Date().toISOString() });
  }

  /** A whole poll's results, or with `choice` that response's alone. */
  async results({ polls_id, choice }: ResultsQuery): Promise<PollResults | ChoiceResults> {
    const results = toPollResults(await this.find(polls_id));
    if (choice === undefined) return results;
    const counted = results.results.find((r) => r.choice === choice);
    if (!counted) {
      throw new RejectedError(`choice: ${JSON.stringify(choice)} is not a response of poll ${polls_id}`);
    }
    return { polls_id, polls_title: results.polls_title, ...counted, total_votes: results.total_votes };
  }

  async allResults({ limit, cursor }: PageQuery): Promise<Page<PollResults>> {
    const page = await this.polls.all(limit, cursor);
    return { items: page.items.map(toPollResults), cursor: page.cursor };
  }

  private async find(pollsId: string): Promise<PollItem> {
    const item = await this.polls.find(pollsId);
    if (!item) throw new NotFoundError(`no poll ${pollsId}`);
    return item;
  }
}
