import { z } from 'zod';
import { serializeAnswer } from './answer-serializer';
import { serializationSchema } from './returns.decorator';

const post = z.object({
  posts_id: z.number().int(),
  text: z.string(),
  liked_at: z.iso.datetime().nullable(),
});
const top = z.object({ posts: z.array(post), meta: z.record(z.string(), z.string()) });
const serialize = serializeAnswer({
  schema: serializationSchema(top),
  method: 'GET',
  url: '/top',
  httpStatus: '2xx',
});

describe('serializeAnswer', () => {
  const exact = {
    posts: [{ posts_id: 1, text: 'quote “this” \u2028 and \ud800', liked_at: null }],
    meta: { a: 'b' },
  };

  it('writes an answer of exactly its shape as JSON.stringify does', () => {
    expect(serialize(exact)).toBe(JSON.stringify(exact));
  });

  it('leaves out a field the schema does not name, at any depth', () => {
    const leaky = { ...exact, secret: 's', posts: [{ ...exact.posts[0], password: 'p' }] };
    expect(JSON.parse(serialize(leaky))).toEqual(exact);
  });

  it('writes what is not JSON already by the schema (a Date as its ISO time), and a map keeps its entries', () => {
    const when = new Date('2026-12-06T10:00:00.000Z');
    const answer = { ...exact, posts: [{ ...exact.posts[0], liked_at: when }], meta: { x: 'y', z: 'w' } };
    expect(JSON.parse(serialize(answer))).toEqual({
      posts: [{ ...exact.posts[0], liked_at: when.toISOString() }],
      meta: { x: 'y', z: 'w' },
    });
  });

  it('leaves a class instance to the schema: what its toJSON adds never leaves, a getter is written', () => {
    class Post {
      posts_id = 1;
      liked_at = null;
      get text() {
        return 'from a getter';
      }
      toJSON() {
        return { posts_id: this.posts_id, text: this.text, liked_at: null, secret: 's' };
      }
    }
    expect(JSON.parse(serialize({ posts: [new Post()], meta: {} }))).toEqual({
      posts: [{ posts_id: 1, text: 'from a getter', liked_at: null }],
      meta: {},
    });
  });

  it('never writes a number that is not one (NaN, Infinity) as null', () => {
    for (const posts_id of [NaN, Infinity, -Infinity]) {
      expect(() => serialize({ ...exact, posts: [{ ...exact.posts[0], posts_id }] })).toThrow();
    }
  });

  it('throws for an answer missing a required field, never drops it', () => {
    expect(() => serialize({ posts: [{ posts_id: 1, liked_at: null }], meta: {} })).toThrow(/text/);
  });
});
