import { inputValidation, toErrorResponse } from '@app/http';
import type { z } from 'zod';
import { seedLikeInput, topInput, userLikesInput } from './likes.schema';

/** `value` through Nest's pipe as an `@Input(schema)` parameter, as a route receives it. */
const input = <S extends z.ZodType>(schema: S, value: unknown): Promise<z.output<S>> =>
  inputValidation.transform(value, { type: 'custom', schema }) as Promise<z.output<S>>;

/** The `message` of the 400 a client gets for `value`. */
const refusal = (schema: z.ZodType, value: unknown): Promise<string> =>
  input(schema, value).then(
    () => 'accepted',
    (error) => toErrorResponse(error).body.message,
  );

describe('likes input schemas', () => {
  it('accepts the seed example with typographic quotes', async () => {
    expect(await input(seedLikeInput, { username: '”John”', posts_id: '”1”' })).toEqual({
      username: 'John',
      posts_id: 1,
    });
  });

  it('accepts post ids as JSON numbers and as text', async () => {
    expect((await input(seedLikeInput, { username: 'a', posts_id: 7 })).posts_id).toBe(7);
    expect((await input(seedLikeInput, { username: 'a', posts_id: '7' })).posts_id).toBe(7);
  });

  it.each([
    [{ posts_id: '1' }, 'username: is required'],
    [{ username: 'a', posts_id: '0' }, 'posts_id: must be a positive integer post id'],
    [{ username: 42, posts_id: '1' }, 'username: must be a username'],
    [{ username: 'x'.repeat(33), posts_id: '1' }, 'username: must be 1-32'],
  ])('refuses %j', async (value, message) => {
    expect(await refusal(seedLikeInput, value)).toContain(message);
  });

  it('names every bad field in one message', async () => {
    expect(await refusal(seedLikeInput, {})).toBe('username: is required; posts_id: is required');
  });

  it('defaults and bounds limit', async () => {
    expect(await input(topInput, {})).toEqual({ limit: 10 });
    expect(await input(userLikesInput, { username: 'a' })).toEqual({ username: 'a', limit: 20 });
    expect(await input(topInput, { limit: '100' })).toEqual({ limit: 100 });
    expect(await refusal(topInput, { limit: '101' })).toBe('limit: must be an integer from 1 to 100');
    expect(await refusal(topInput, { limit: '0' })).toContain('limit');
  });

  it('parses a cursor and refuses a made-up one', async () => {
    expect((await input(userLikesInput, { username: 'a', cursor: '1700000000000.5' })).cursor).toEqual({
      likedAt: 1_700_000_000_000,
      postId: 5,
    });
    expect(await refusal(userLikesInput, { username: 'a', cursor: 'abc' })).toContain('cursor');
  });
});
