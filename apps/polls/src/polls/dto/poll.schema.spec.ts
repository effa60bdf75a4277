import { inputValidation, toErrorResponse } from '@app/http';
import type { z } from 'zod';
import { createPollSchema, postPollsSchema, titleQuerySchema, voteSchema } from './poll.schema';
import { encodeCursor } from '../cursor';

describe('createPollSchema', () => {
  const base = { polls_title: 'Lunch?', username: 'chris' };

  it.each([
    ['a comma list', 'Italian,Mexican', ['Italian', 'Mexican']],
    ['a JSON array', ['Italian', 'Mexican'], ['Italian', 'Mexican']],
    ['a JSON array in a string', '["Italian, or not", "Mexican"]', ['Italian, or not', 'Mexican']],
    ['padded items', ' Italian , Mexican ', ['Italian', 'Mexican']],
    ['expression-looking text', ['#a = :b', ':b'], ['#a = :b', ':b']],
    ["the seed's quoted list", '”Italian”,”Mexican”', ['Italian', 'Mexican']],
  ])('accepts responses as %s', (_, responses, expected) => {
    expect(createPollSchema.parse({ ...base, responses }).responses).toEqual(expected);
  });

  it.each([
    ['one response', 'a'],
    ['eleven responses', 'a,b,c,d,e,f,g,h,i,j,k'],
    ['duplicates', 'a,b,a'],
    ['duplicates after trimming', ['a', ' a ']],
    ['an empty item', 'a,,b'],
    ['non-strings', [1, 2]],
    ['an object', { a: 1 }],
    ['a broken JSON array', '["a", "b"'],
    ['a 101-character response', ['a', 'b'.repeat(101)]],
  ])('refuses %s', (_, responses) => {
    expect(createPollSchema.safeParse({ ...base, responses }).success).toBe(false);
  });

  it('takes title for polls_title and bounds it to 1-200 characters', () => {
    expect(createPollSchema.parse({ title: 'Hi', username: 'u', responses: 'a,b' }).polls_title).toBe('Hi');
    expect(createPollSchema.safeParse({ ...base, polls_title: ' ', responses: 'a,b' }).success).toBe(false);
    expect(
      createPollSchema.safeParse({ ...base, polls_title: 'x'.repeat(201), responses: 'a,b' }).success,
    ).toBe(false);
    expect(createPollSchema.safeParse({ ...base, username: 'a\u0000b', responses: 'a,b' }).success).toBe(
      false,
    );
  });
});

describe('postPollsSchema', () => {
  it('is a lookup with polls_id alone and a create without it', () => {
    expect(postPollsSchema.parse({ polls_id: 'p1' })).toEqual({ lookup: true, polls_id: 'p1' });
    expect(postPollsSchema.parse({ polls_title: 't', username: 'u', responses: 'a,b' })).toMatchObject({
      lookup: false,
      responses: ['a', 'b'],
    });
  });

  it('refuses a mix of both', () => {
    expect(postPollsSchema.safeParse({ polls_id: 'p1', polls_title: 't' }).success).toBe(false);
  });
});

describe('voteSchema', () => {
  it('takes user for username, as the seed does', () => {
    expect(voteSchema.parse({ user: 'chris', polls_id: 'p', choice: 'yes' }).username).toBe('chris');
  });

  it('takes the seed example word for word, typographic quotes included', () => {
    expect(voteSchema.parse({ user: '”chris”', polls_id: '”p-1”', choice: '”yes”' })).toEqual({
      username: 'chris',
      polls_id: 'p-1',
      choice: 'yes',
    });
  });

  it('keeps ASCII quotes in a choice, where they can be meant', () => {
    expect(voteSchema.parse({ user: 'chris', polls_id: 'p', choice: "'90s" }).choice).toBe("'90s");
  });
});

describe('titleQuerySchema', () => {
  it('accepts a cursor of the same title only', () => {
    const cursor = encodeCursor({ polls_id: 'p', polls_title: 'A', created_at: 'now' })!;
    expect(titleQuerySchema.parse({ title: 'A', cursor }).cursor).toEqual({
      polls_id: 'p',
      polls_title: 'A',
      created_at: 'now',
    });
    expect(titleQuerySchema.safeParse({ title: 'B', cursor }).success).toBe(false);
  });
});

describe('the words a client reads', () => {
  /** The `message` of the 400 a client gets for `value`, through the pipe every route uses. */
  const refusal = (schema: z.ZodType, value: unknown): Promise<string> =>
    Promise.resolve(inputValidation.transform(value, { type: 'custom', schema })).then(
      () => 'accepted',
      (error) => toErrorResponse(error).body.message,
    );

  it('says "is required" for a missing field and names the kind a wrong one must be, as likes does', async () => {
    expect(await refusal(createPollSchema, { responses: 'a,b', username: 'chris' })).toBe(
      'polls_title: is required',
    );
    expect(await refusal(createPollSchema, { polls_title: 7, responses: 'a,b', username: 'chris' })).toBe(
      'polls_title: must be a string',
    );
  });
});
