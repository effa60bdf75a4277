import { consulQuerySchema } from './consul-query.schema';

const parse = (query: Record<string, string | string[]>) => consulQuerySchema.safeParse(query);

describe('consulQuerySchema', () => {
  it('reads the Go client’s options', () => {
    const parsed = parse({ index: '42', wait: '120000ms', stale: '', tag: ['a', 'b'], passing: '' });
    expect(parsed.data).toMatchObject({
      index: 42,
      wait: 120_000,
      stale: '',
      tag: ['a', 'b'],
      passing: true,
    });
    expect(parse({ tag: 'a', 'node-meta': 'rack:1' }).data).toMatchObject({
      tag: ['a'],
      'node-meta': ['rack:1'],
    });
  });

  it.each([
    ['passing', '1', true],
    ['passing', 'true', true],
    ['passing', 'False', false],
  ])('reads %s=%s as %s', (key, value, expected) => {
    expect(parse({ [key]: value }).data?.passing).toBe(expected);
  });

  it.each([
    [{ index: '-1' }, 'index'],
    [{ index: '1e3' }, 'index'],
    [{ wait: '1 minute' }, 'wait'],
    [{ passing: 'yes' }, 'passing'],
    [{ ns: 'team' }, 'ns'],
    [{ partition: 'p1' }, 'partition'],
    [{ filter: 'Service.Port == 1' }, 'filter'],
    [{ 'node-meta': 'rack' }, 'node-meta'],
  ])('refuses %j naming %s', (query, field) => {
    const parsed = parse(query);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0].path[0]).toBe(field);
  });

  it('accepts the default namespace and partition, and ignores what it does not know', () => {
    expect(parse({ ns: 'default', partition: 'default', near: '_agent', cached: '' }).success).toBe(true);
  });
});
