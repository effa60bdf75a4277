import { integerIn } from './integer';

describe('integerIn', () => {
  const sut = integerIn(1, 100);

  it('takes a number or its text', () => {
    expect(sut.parse(7)).toBe(7);
    expect(sut.parse('42')).toBe(42);
  });

  it.each(['abc', '0', '101', '1.5', -3])('refuses %p in plain words', (value) => {
    const result = sut.safeParse(value);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.message)).toEqual(['must be an integer from 1 to 100']);
  });
});
