import { NotFoundError, RejectedError } from '@app/errors';
import { Test } from '@nestjs/testing';
import { newPollItem, type Page, type PollItem } from './poll';
import { PollsRepository } from './polls.repository';
import { PollsService } from './polls.service';
import { VotesRepository } from './votes.repository';

describe(PollsService.name, () => {
  let sut: PollsService;
  let polls: jest.Mocked<Pick<PollsRepository, 'create' | 'find' | 'byTitle' | 'all'>>;
  let votes: jest.Mocked<Pick<VotesRepository, 'record'>>;
  const item: PollItem = {
    ...newPollItem({
      polls_id: 'p1',
      polls_title: 'Lunch?',
      username: 'chris',
      responses: ['Italian', 'Mexican'],
      created_at: '2026-01-01T00:00:00.000Z',
    }),
    counts: { Italian: 2, Mexican: 1 },
    total_votes: 3,
  };

  beforeEach(async () => {
    polls = {
      create: jest.fn((i: PollItem) => Promise.resolve(i)),
      find: jest.fn((_id: string) => Promise.resolve<PollItem | undefined>(item)),
      byTitle: jest.fn((_title: string, _limit: number, _key?: Record<string, string>) =>
        Promise.resolve<Page<PollItem>>({ items: [item], cursor: null }),
      ),
      all: jest.fn((_limit: number, _key?: Record<string, string>) =>
        Promise.resolve<Page<PollItem>>({ items: [item], cursor: 'next' }),
      ),
    };
    votes = { record: jest.fn((v) => Promise.resolve(v)) };
    const module = await Test.createTestingModule({
      providers: [
        PollsService,
        { provide: PollsRepository, useValue: polls },
        { provide: VotesRepository, useValue: votes },
      ],
    }).compile();
    sut = module.get(PollsService);
  });

  it('creates a poll with a fresh id and zero votes per response', async () => {
    const poll = await sut.create({ polls_title: 'T', username: 'u', responses: ['a', 'b'] });
    expect(poll.polls_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(poll.results).toEqual([
      { choice: 'a', votes: 0 },
      { choice: 'b', votes: 0 },
    ]);
    expect(polls.create.mock.calls[0][0].counts).toEqual({ a: 0, b: 0 });
  });

  it('404s an unknown poll', async () => {
    polls.find.mockResolvedValue(undefined);
    await expect(sut.get('nope')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('gives one choice results, and 400s a choice the poll does not have', async () => {
    await expect(sut.results({ polls_id: 'p1', choice: 'Italian' })).resolves.toEqual({
      polls_id: 'p1',
      polls_title: 'Lunch?',
      choice: 'Italian',
      votes: 2,
      total_votes: 3,
    });
    await expect(sut.results({ polls_id: 'p1', choice: 'Thai' })).rejects.toBeInstanceOf(RejectedError);
  });

  it('records a vote with its time', async () => {
    const vote = await sut.vote({ polls_id: 'p1', username: 'ann', choice: 'Mexican' });
    expect(vote).toMatchObject({ polls_id: 'p1', username: 'ann', choice: 'Mexican' });
    expect(Date.parse(vote.voted_at)).not.toBeNaN();
  });

  it('pages all results with the repository cursor', async () => {
    await expect(sut.allResults({ limit: 5, cursor: undefined })).resolves.toMatchObject({ cursor: 'next' });
    expect(polls.all).toHaveBeenCalledWith(5, undefined);
  });
});
