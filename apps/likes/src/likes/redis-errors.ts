import { StoreUnavailableError } from '@app/errors';

// Replies that mean "Redis cannot serve now" rather than "this request is wrong".
const UNAVAILABLE_REPLIES =
  /^(LOADING|BUSY|MISCONF|OOM|READONLY|MASTERDOWN|CLUSTERDOWN|TRYAGAIN|NOREPLICAS)\b/;

/** Redis errors in the domain's words: anything that means Redis is away or cannot serve is "redis unavailable". */
export function redisError(error: unknown): unknown {
  const isReply = error instanceof Error && error.name === 'ReplyError';
  if (isReply && !UNAVAILABLE_REPLIES.test(error.message)) return error;
  return new StoreUnavailableError('redis');
}

/** Throws `error` in the domain's words (for `.catch(rethrow)` on every Redis call). */
export function rethrow(error: unknown): never {
  throw redisError(error);
}
