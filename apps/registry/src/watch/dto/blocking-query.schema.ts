import { integerIn } from '@app/http';
import { z } from 'zod';

/** The longest a blocking query may be held (Consul's cap too). */
export const MAX_WAIT_MS = 5 * 60_000;
const UNIT_MS = { ms: 1, s: 1_000, m: 60_000 } as const;
const waitMessage = 'must be a duration such as 30s, 500ms or 5m (at most 5m)';

/** `wait=30s`: a duration in ms, s or m (a bare number is seconds), capped at {@link MAX_WAIT_MS}. */
const wait = z
  .string()
  .regex(/^\d{1,7}(ms|s|m)?$/, waitMessage)
  .transform((v) => {
    const [, amount, unit] = /^(\d+)(ms|s|m)?$/.exec(v)!;
    return Number(amount) * UNIT_MS[(unit ?? 's') as keyof typeof UNIT_MS];
  })
  .refine((ms) => ms <= MAX_WAIT_MS, waitMessage);

/**
 * `?index=N&wait=30s` of every read that lists instances: hold the answer until the change index
 * passes N or the wait ends. No index: answer at once. An index without a wait waits the most.
 */
export const blockingQuerySchema = z
  .object({
    index: integerIn(
      0,
      Number.MAX_SAFE_INTEGER,
      undefined,
      'must be a change index (X-Registry-Index) from an earlier answer',
    ).optional(),
    wait: wait.optional(),
  })
  .transform(({ index, wait }) => (index === undefined ? undefined : { index, waitMs: wait ?? MAX_WAIT_MS }));

/** The fields of {@link blockingQuerySchema}, as the OpenAPI documents list them. */
export const blockingQueryFields = blockingQuerySchema.in;

/** A parsed blocking query: the index the caller saw, and how long it will wait for a newer one. */
export type BlockingQuery = NonNullable<z.output<typeof blockingQuerySchema>>;
