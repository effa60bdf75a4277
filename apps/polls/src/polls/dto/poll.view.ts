import { count, isoTime } from '@app/http';
import { z } from 'zod';
import { type PollItem, resultsOf } from '../poll';

/** The votes one response received. */
const choiceCount = z.object({ choice: z.string(), votes: count });

/** A poll as the API returns it: its record and its results, in the order of its responses. */
export const pollView = z
  .object({
    polls_id: z.uuid(),
    polls_title: z.string(),
    username: z.string(),
    responses: z.array(z.string()),
    created_at: isoTime,
    total_votes: count,
    results: z.array(choiceCount),
  })
  .meta({ id: 'Poll', description: 'A poll with its results, in the order of its responses.' });
export type Poll = z.infer<typeof pollView>;

/** The results of a whole poll. */
export const pollResultsView = pollView
  .pick({ polls_id: true, polls_title: true, total_votes: true, results: true })
  .meta({ id: 'PollResults', description: "A whole poll's results." });
export type PollResults = z.infer<typeof pollResultsView>;

/** The results of one response of a poll (`choice=`). */
export const choiceResultsView = z
  .object({
    ...pollView.pick({ polls_id: true, polls_title: true }).shape,
    ...choiceCount.shape,
    total_votes: count,
  })
  .meta({ id: 'ChoiceResults', description: "One response's votes, with its poll's total." });
export type ChoiceResults = z.infer<typeof choiceResultsView>;

/** One user's vote in one poll (one per poll and user). */
export const voteView = z
  .object({ polls_id: z.uuid(), username: z.string(), choice: z.string(), voted_at: isoTime })
  .meta({ id: 'Vote', description: "One user's vote in one poll." });
export type VoteView = z.infer<typeof voteView>;

/** One page of a listing; `cursor` fetches the next one and is null on the last page. */
export const pageOf = <T extends z.ZodType>(item: T, id: string) =>
  z
    .object({ items: z.array(item), cursor: z.string().nullable() })
    .meta({ id, description: 'One page; `cursor` fetches the next one and is null on the last page.' });

export const pollsPageView = pageOf(pollView, 'PollsPage');
export const resultsPageView = pageOf(pollResultsView, 'PollResultsPage');

export function toPoll(item: PollItem): Poll {
  return {
    polls_id: item.polls_id,
    polls_title: item.polls_title,
    username: item.username,
    responses: item.responses,
    created_at: item.created_at,
    total_votes: Number(item.total_votes),
    results: resultsOf(item),
  };
}

export function toPollResults(item: PollItem): PollResults {
  return {
    polls_id: item.polls_id,
    polls_title: item.polls_title,
    total_votes: Number(item.total_votes),
    results: resultsOf(item),
  };
}
