/** A poll as stored in the polls table: `counts` holds one number per response, keyed by its text. */
export interface PollItem {
  polls_id: string;
  polls_title: string;
  username: string;
  responses: string[];
  counts: Record<string, number>;
  total_votes: number;
  created_at: string;
}

/** The votes one response received. */
export interface ChoiceCount {
  choice: string;
  votes: number;
}

/** A poll as the API returns it: its record and its results, in the order of its responses. */
export interface Poll extends Omit<PollItem, 'counts'> {
  results: ChoiceCount[];
}

/** The results of a whole poll. */
export type PollResults = Pick<Poll, 'polls_id' | 'polls_title' | 'total_votes' | 'results'>;

/** The results of one response of a poll. */
export interface ChoiceResults extends ChoiceCount {
  polls_id: string;
  polls_title: string;
  total_votes: number;
}

/** One user's vote in one poll, as stored in the votes table (one per poll and user). */
export interface Vote {
  polls_id: string;
  username: string;
  choice: string;
  voted_at: string;
}

/** One page of a listing; `cursor` fetches the next one and is null on the last page. */
export interface Page<T> {
  items: T[];
  cursor: string | null;
}

/** A new poll's stored form: no votes yet. */
export function newPollItem(
  input: Pick<PollItem, 'polls_id' | 'polls_title' | 'username' | 'responses' | 'created_at'>,
): PollItem {
  return {
    ...input,
    counts: Object.fromEntries(input.responses.map((response) => [response, 0])),
    total_votes: 0,
  };
}

/** The results of `item`, one entry per response in the order they were given. */
export function resultsOf(item: PollItem): ChoiceCount[] {
  return item.responses.map((choice) => ({ choice, votes: Number(item.counts?.[choice] ?? 0) }));
}

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
