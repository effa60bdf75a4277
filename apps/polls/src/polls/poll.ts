/** A poll as stored in the polls table: `counts` holds one number per response, under {@link countKey}. */
export interface PollItem {
  polls_id: string;
  polls_title: string;
  username: string;
  responses: string[];
  counts: Record<string, number>;
  total_votes: number;
  created_at: string;
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

/**
 * The key a response's count is stored under in `counts`: its text, except `__proto__`, which a plain
 * object (and the SDK's marshalling, which builds one) takes for its prototype rather than a key. That
 * one is stored as "\u001f__proto__"; responses hold no control characters, so no other one collides.
 */
export const countKey = (response: string): string =>
  response === '__proto__' ? `\u001f${response}` : response;

/** A new poll's stored form: no votes yet. */
export function newPollItem(
  input: Pick<PollItem, 'polls_id' | 'polls_title' | 'username' | 'responses' | 'created_at'>,
): PollItem {
  return {
    ...input,
    counts: Object.fromEntries(input.responses.map((response) => [countKey(response), 0])),
    total_votes: 0,
  };
}

/** The results of `item`, one entry per response in the order they were given. */
export function resultsOf(item: PollItem): { choice: string; votes: number }[] {
  const counts = item.counts ?? {};
  return item.responses.map((choice) => {
    const key = countKey(choice);
    // Own keys only: `toString` is a response like any other, not Object.prototype's.
    return { choice, votes: Object.hasOwn(counts, key) ? Number(counts[key]) : 0 };
  });
}
