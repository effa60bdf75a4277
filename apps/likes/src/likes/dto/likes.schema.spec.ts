import { validate } from '@app/http';
import { seedLikeInput, topInput, userLikesInput } from './likes.schema';

describe('likes input schemas', () => {
  it('accepts the seed example with typographic quotes', () => {
    expect(validate(seedLikeInput, { username: '”John”', posts_id: '”1”' })).toEqual({
      username: 'John',
      posts_id: 1,
    });
  });

  it('accepts post ids as JSON numbers and as text', () => {
    expect(validate(seedLikeInput, { username: 'a', posts_id: 7 }).posts_id).toBe(7);
    expect(validate(seedLikeInput, { username: 'a', posts_id: '7' }).posts_id).toBe(7);
  });

  it.each([
    [{ posts_id: '1' }, 'username: is required'],
    [{ username: 'a', posts_id: '0' }, 'posts_id: must be a positive integer post id'],
    [{ username: 42, posts_id: '1' }, 'username: must be a username'],
    [{ username: 'x'.repeat(33), posts_id: '1' }, 'username: must be 1-32'],
  ])('refuses %j', (input, message) => {
    expect(() => validate(seedLikeInput, input)).toThrow(message);
  });

  it('defaults and bounds limit', () => {
    expect(validate(topInput, {})).toEqual({ limit: 10 });
    expect(validate(userLikesInput, { username: 'a' })).toEqual({ username: 'a', limit: 20 });
    expect(validate(topInput, { limit: '100' })).toEqual({ limit: 100 });
    expect(() => validate(topInput, { limit: '101' })).toThrow('limit: must be an integer from 1 to 100');
    expect(() => validate(topInput, { limit: '0' })).toThrow('limit');
  });

  it('parses a cursor and refuses a made-up one', () => {
    expect(validate(userLikesInput, { username: 'a', cursor: '1700000000000.5' }).cursor).toEqual({
      likedAt: 1_700_000_000_000,
      postId: 5,
    });
    expect(() => validate(userLikesInput, { username: 'a', cursor: 'abc' })).toThrow('cursor');
  });
});
