import { documentedAs, integerIn, unquoteIdentifier as unquote } from '@app/http';
import { z } from 'zod';
import { parseCursor } from '../cursor';

// Numbers may come as JSON numbers or as text (query, form).
const numeric = (value: unknown): unknown => (typeof value === 'number' ? String(value) : unquote(value));

const text = (what: string) =>
  z.string({ error: (issue) => (issue.input === undefined ? 'is required' : `must be ${what}`) });

/** 1-32 letters, digits, "_", "." or "-", starting with a letter or digit; safe inside Redis keys. */
export const username = z.preprocess(
  unquote,
  text('a username').regex(
    /^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$/,
    'must be 1-32 letters, digits, "_", "." or "-", starting with a letter or digit',
  ),
);

/** A post id: a positive integer of at most 12 digits, as a number or a string. */
export const postId = z
  .preprocess(
    numeric,
    text('a post id')
      .regex(/^[1-9][0-9]{0,11}$/, 'must be a positive integer post id')
      .transform(Number),
  )
  // Documented as the integer it means (a typed client sends a number), not as the text it is read as.
  .meta(documentedAs({ type: 'integer', minimum: 1, maximum: 999_999_999_999 }));

/** A page size, 1-100, `fallback` when it is missing; the seed may quote it. */
const limit = (fallback: number) => z.preprocess(unquote, integerIn(1, 100, fallback));

const cursor = z.preprocess(
  unquote,
  text('a cursor')
    .transform((value, ctx) => {
      const parsed = parseCursor(value);
      if (!parsed) ctx.addIssue({ code: 'custom', message: 'must be a next_cursor from a previous page' });
      return parsed!;
    })
    .optional(),
);

/** The seed's `POST /new/likes?username=&posts_id=`. */
export const seedLikeInput = z.object({ username, posts_id: postId });
/** `POST /posts/:id/likes` {username} and `DELETE /posts/:id/likes/:username`. */
export const likeInput = z.object({ id: postId, username });
/** The seed's `GET /likes?posts_id=`. */
export const seedPostInput = z.object({ posts_id: postId });
/** `GET /posts/:id/likes`. */
export const postInput = z.object({ id: postId });
/** `GET /user/likes?username=` and `GET /users/:username/likes`, with `limit` (default 20) and `cursor`. */
export const userLikesInput = z.object({ username, limit: limit(20), cursor });
/** `GET /top/likes` and `GET /likes/top?limit=` (default 10, at most 100). */
export const topInput = z.object({ limit: limit(10) });
