import { metaSchema, tagsSchema } from './labels.schema';

describe('tagsSchema', () => {
  it('takes a list or a comma list, keeping each tag once', () => {
    expect(tagsSchema.parse(['a', 'b', 'a'])).toEqual(['a', 'b']);
    expect(tagsSchema.parse('likes,v1.2:blue-x_y')).toEqual(['likes', 'v1.2:blue-x_y']);
    expect(tagsSchema.parse('')).toEqual([]);
  });

  it('holds Consul’s limits on both sides', () => {
    expect(tagsSchema.safeParse(Array.from({ length: 32 }, (_, i) => `t${i}`)).success).toBe(true);
    expect(tagsSchema.safeParse(Array.from({ length: 33 }, (_, i) => `t${i}`)).success).toBe(false);
    expect(tagsSchema.safeParse(['x'.repeat(63)]).success).toBe(true);
    expect(tagsSchema.safeParse(['x'.repeat(64)]).success).toBe(false);
    expect(tagsSchema.safeParse(['']).success).toBe(false);
    expect(tagsSchema.safeParse(['a b']).success).toBe(false);
    expect(tagsSchema.safeParse([1]).success).toBe(false);
  });
});

describe('metaSchema', () => {
  it('takes an object or key:value pairs, values may hold colons', () => {
    expect(metaSchema.parse({ version: '1.0' })).toEqual({ version: '1.0' });
    expect(metaSchema.parse('version:1.0,url:http://x')).toEqual({ version: '1.0', url: 'http://x' });
  });

  it('keeps __proto__ as an ordinary key', () => {
    const meta = metaSchema.parse(JSON.parse('{"__proto__":"x","a":"b"}'));
    expect(Object.keys(meta)).toEqual(['__proto__', 'a']);
    expect(JSON.stringify(meta)).toBe('{"__proto__":"x","a":"b"}');
  });

  it('holds Consul’s limits on both sides', () => {
    const keys = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 'v']));
    expect(metaSchema.safeParse(keys(64)).success).toBe(true);
    expect(metaSchema.safeParse(keys(65)).success).toBe(false);
    expect(metaSchema.safeParse({ ['k'.repeat(128)]: 'v' }).success).toBe(true);
    expect(metaSchema.safeParse({ ['k'.repeat(129)]: 'v' }).success).toBe(false);
    expect(metaSchema.safeParse({ k: 'v'.repeat(512) }).success).toBe(true);
    expect(metaSchema.safeParse({ k: 'v'.repeat(513) }).success).toBe(false);
    expect(metaSchema.safeParse({ 'a.b': 'v' }).success).toBe(false);
    expect(metaSchema.safeParse({ k: 1 }).success).toBe(false);
    expect(metaSchema.safeParse('novalue').success).toBe(false);
    expect(metaSchema.safeParse(['k', 'v']).success).toBe(false);
  });
});
