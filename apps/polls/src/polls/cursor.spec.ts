import { cursorSchema, encodeCursor } from './cursor';

describe('cursorSchema', () => {
  const sut = cursorSchema(['polls_id']);

  it('decodes what encodeCursor made', () => {
    expect(sut.parse(encodeCursor({ polls_id: 'abc' }))).toEqual({ polls_id: 'abc' });
  });

  it('is null when there is no next page', () => {
    expect(encodeCursor(undefined)).toBeNull();
  });

  it.each([
    ['garbage', 'not a cursor'],
    ['a non-object', Buffer.from('[1]').toString('base64url')],
    ['a wrong key', encodeCursor({ other: 'x' })],
    ['an extra key', encodeCursor({ polls_id: 'x', more: 'y' })],
    ['a non-string value', encodeCursor({ polls_id: { S: 'x' } })],
  ])('refuses %s', (_, cursor) => {
    expect(sut.safeParse(cursor).success).toBe(false);
  });
});
