import { Controller, Get, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import { ApiResponses, ApiSummary, FastPath, Input, Returns } from '@app/http';
import {
  type CreatePoll,
  createPollSchema,
  pageQuerySchema,
  type PageQuery,
  pollIdSchema,
  postPollsSchema,
  resultsQuerySchema,
  type ResultsQuery,
  titleQuerySchema,
  type TitleQuery,
  voteSchema,
  type VoteInput,
} from './dto/poll.schema';
import {
  type ChoiceResults,
  choiceResultsView,
  type Poll,
  type PollResults,
  pollResultsView,
  pollsPageView,
  pollView,
  resultsPageView,
  type VoteView,
  voteView,
} from './dto/poll.view';
import type { Page } from './poll';
import { PollsService } from './polls.service';

const NO_POLL = { 404: 'No such poll.' };

/** The polls API: the seed's routes and the resource routes (README; docs/ARCHITECTURE.md for the request paths). */
@Controller()
@FastPath()
export class PollsController {
  constructor(private readonly polls: PollsService) {}

  @Post('create/poll')
  @ApiSummary("Create a poll (the seed's route)")
  @Returns(pollView)
  create(@Input(createPollSchema) input: CreatePoll): Promise<Poll> {
    return this.polls.create(input);
  }

  /** Create (resource route, 201), or the seed's lookup `POST /polls?polls_id=` (200). */
  @Post('polls')
  @ApiSummary("Create a poll, or look one up by polls_id (the seed's lookup)")
  @Returns(pollView)
  @ApiResponses({ 200: "The poll looked up (the seed's `polls_id`).", 404: 'No such poll.' })
  async createOrLookUp(
    @Input(postPollsSchema) input: z.output<typeof postPollsSchema>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Poll> {
    if (!input.lookup) return this.polls.create(input);
    void reply.status(200);
    return this.polls.get(input.polls_id);
  }

  @Get('polls/:polls_id')
  @ApiSummary('A poll with its results')
  @Returns(pollView)
  @ApiResponses(NO_POLL)
  get(@Input(pollIdSchema) { polls_id }: z.output<typeof pollIdSchema>): Promise<Poll> {
    return this.polls.get(polls_id);
  }

  @Get('polls')
  @ApiSummary('Polls with a title, a page at a time')
  @Returns(pollsPageView)
  byTitle(@Input(titleQuerySchema) query: TitleQuery): Promise<Page<Poll>> {
    return this.polls.byTitle(query);
  }

  @Post(['poll/vote', 'polls/:polls_id/votes'])
  @ApiSummary('Vote in a poll, once per user')
  @Returns(voteView)
  @ApiResponses({ ...NO_POLL, 409: 'The user has already voted in this poll.' })
  vote(@Input(voteSchema) input: VoteInput): Promise<VoteView> {
    return this.polls.vote(input);
  }

  @Get(['vote/results', 'polls/:polls_id/results'])
  @ApiSummary("A poll's results, or one response's")
  @Returns(pollResultsView.or(choiceResultsView))
  @ApiResponses(NO_POLL)
  results(@Input(resultsQuerySchema) query: ResultsQuery): Promise<PollResults | ChoiceResults> {
    return this.polls.results(query);
  }

  @Get(['allresults', 'results'])
  @ApiSummary("Every poll's results, a page at a time")
  @Returns(resultsPageView)
  allResults(@Input(pageQuerySchema) query: PageQuery): Promise<Page<PollResults>> {
    return this.polls.allResults(query);
  }
}
