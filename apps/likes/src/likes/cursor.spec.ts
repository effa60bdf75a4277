import { formatCursor, parseCursor } from './cursor';

describe(parseCursor.name, () => {
  it('reads back what formatCursor wrote', () => {
    const cursor = { likedAt: 1_732_361_816_123, postId: 42 };
    expect(parseCursor(formatCursor(cursor))).toEqual(cursor);
  });

  it.each(['', 'garbage', '1.0', '1.', '.1', '-1.2', '1.2.3', '1.2 ', '1'.repeat(16) + '.1', '1.0x10'])(
    'refuses %j',
    (text) => {
      expect(parseCursor(text)).toBeUndefined();
    },
  );
});
