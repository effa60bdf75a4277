import { z } from 'zod';
import { cursorSchema } from '../cursor';
import { choice, limit, pollsId, pollsTitle, responses, username } from './fields';

const object = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** Lets `from` stand for `to` when `to` is not given (`title` for `polls_title`, `user` for `username`). */
const alias = (from: string, to: string) => (v: unknown) =>
  object(v) && v[to] === undefined && v[from] !== undefined ? { ...v, [to]: v[from] } : v;

/** `POST /create/poll` and `POST /polls`: a title, its creator and its responses. */
export const createPollSchema = z.preprocess(
  alias('title', 'polls_title'),
  z.object({ polls_title: pollsTitle, username, responses }),
);
export type CreatePoll = z.output<typeof createPollSchema>;

/** `GET /polls/:id`, and the seed's `POST /polls?polls_id=`. */
export const pollIdSchema = z.object({ polls_id: pollsId });

const CREATE_FIELDS = ['polls_title', 'title', 'username', 'responses'];

/** What `POST /polls` reads, for its OpenAPI document: either schema it hands its input to. */
const lookupOrCreate = z.toJSONSchema(z.union([pollIdSchema, createPollSchema]), { io: 'input' });
// Inside an OpenAPI document a schema takes the document's dialect.
delete lookupOrCreate.$schema;

/**
 * `POST /polls` is both the seed's lookup (`polls_id` only) and the resource route's create
 * (`polls_title`, `username`, `responses`); a mix of the two is refused rather than guessed.
 */
export const postPollsSchema = z
  .unknown()
  .transform((input, ctx) => {
    const fields = object(input) ? input : {};
    const lookup = fields.polls_id !== undefined;
    if (lookup && CREATE_FIELDS.some((f) => fields[f] !== undefined)) {
      ctx.addIssue({
        code: 'custom',
        message: 'give polls_id to look a poll up, or polls_title, username and responses to create one',
      });
      return z.NEVER;
    }
    const result = lookup ? pollIdSchema.safeParse(input) : createPollSchema.safeParse(input);
    if (!result.success) {
      for (const issue of result.error.issues) {
        ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
      }
      return z.NEVER;
    }
    return lookup
      ? { lookup: true as const, ...(result.data as z.output<typeof pollIdSchema>) }
      : { lookup: false as const, ...(result.data as CreatePoll) };
  })
  .meta({ override: lookupOrCreate });

/** `GET /polls?title=`: the polls with exactly this title, a page at a time. */
export const titleQuerySchema = z
  .preprocess(
    alias('polls_title', 'title'),
    z.object({
      title: pollsTitle,
      limit,
      cursor: cursorSchema(['polls_id', 'polls_title', 'created_at']).optional(),
    }),
  )
  .refine((q) => !q.cursor || q.cursor.polls_title === q.title, {
    message: 'is not a cursor of this title',
    path: ['cursor'],
  });
export type TitleQuery = z.output<typeof titleQuerySchema>;

/** `GET /results` and the seed's `GET /allresults`: every poll's results, a page at a time. */
export const pageQuerySchema = z.object({ limit, cursor: cursorSchema(['polls_id']).optional() });
export type PageQuery = z.output<typeof pageQuerySchema>;

/** `POST /polls/:id/votes` and the seed's `POST /poll/vote?user=&polls_id=&choice=`. */
export const voteSchema = z.preprocess(
  alias('user', 'username'),
  z.object({ polls_id: pollsId, username, choice }),
);
export type VoteInput = z.output<typeof voteSchema>;

/** `GET /polls/:id/results` and the seed's `GET /vote/results?polls_id=&choice=` (choice optional). */
export const resultsQuerySchema = z.object({ polls_id: pollsId, choice: choice.optional() });
export type ResultsQuery = z.output<typeof resultsQuerySchema>;
