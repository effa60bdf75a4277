import {
  ConflictError,
  type DomainError,
  NotFoundError,
  RejectedError,
  StoreUnavailableError,
} from '@app/errors';

/** One entry of a TransactionCanceledException's CancellationReasons, in TransactItems order. */
export interface CancellationReason {
  Code?: string;
  Message?: string;
  Item?: Record<string, unknown>;
}

/** What a cancelled vote transaction means: a domain error for the caller, or a transient cancellation worth retrying. */
export type VoteFailure = { retry: true; reason: string } | { retry: false; error: DomainError | Error };

/** Cancellation codes that say the store was busy, not that the vote was wrong: tried again, then a 503. */
const TRANSIENT = new Set([
  'TransactionConflict',
  'ThrottlingError',
  'ProvisionedThroughputExceeded',
  'RequestLimitExceeded',
]);

/**
 * Reads the reasons a vote transaction (0: put the vote if absent, 1: count it if the poll has the
 * choice) was cancelled. A missing poll wins over an unknown choice, which wins over a repeat vote.
 */
export function voteFailure(
  reasons: CancellationReason[] | undefined,
  vote: { polls_id: string; username: string; choice: string },
): VoteFailure {
  const [put, count] = [reasons?.[0]?.Code, reasons?.[1]?.Code];
  if (count === 'ConditionalCheckFailed') {
    const poll = reasons?.[1]?.Item;
    if (!poll) return { retry: false, error: new NotFoundError(`no poll ${vote.polls_id}`) };
    const responses = responsesOf(poll.responses);
    return {
      retry: false,
      error: new RejectedError(
        `choice: ${JSON.stringify(vote.choice)} is not a response of poll ${vote.polls_id} (${responses.map((r) => JSON.stringify(r)).join(', ')})`,
      ),
    };
  }
  if (put === 'ConditionalCheckFailed') {
    return {
      retry: false,
      error: new ConflictError(`${vote.username} has already voted in poll ${vote.polls_id}`),
    };
  }
  const detail = reasons?.find((r) => r.Code && r.Code !== 'None');
  const code = detail?.Code ?? 'unknown';
  if (TRANSIENT.has(code)) return { retry: true, reason: code };
  // A vote that passed its checks and is still invalid to DynamoDB is our bug, not the caller's: a
  // logged 500, and DynamoDB's words stay in the log rather than in the answer.
  if (code === 'ValidationError') {
    return {
      retry: false,
      error: new Error(`dynamodb refused a vote as invalid: ${detail?.Message ?? code}`),
    };
  }
  return { retry: false, error: new StoreUnavailableError('dynamodb', code) };
}

/** The poll's responses from the item DynamoDB returns with a failed condition (marshalled or not). */
function responsesOf(value: unknown): string[] {
  const list = Array.isArray(value) ? value : (value as { L?: unknown[] } | undefined)?.L;
  return (list ?? []).map((v) => (typeof v === 'string' ? v : String((v as { S?: string }).S)));
}
