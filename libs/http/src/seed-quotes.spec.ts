import { unquoteIdentifier, unquoteText } from './seed-quotes';

describe('seed quotes', () => {
  it('takes typographic and ASCII quotes off an identifier', () => {
    expect(unquoteIdentifier('”John”')).toBe('John');
    expect(unquoteIdentifier(' "42" ')).toBe('42');
    expect(unquoteIdentifier('‘a’b’')).toBe('a’b');
  });

  it('takes only typographic quotes off free text', () => {
    expect(unquoteText('”Italian”')).toBe('Italian');
    expect(unquoteText("'90s")).toBe("'90s");
    expect(unquoteText('"yes"')).toBe('"yes"');
  });

  it('leaves what is not a string alone', () => {
    expect(unquoteIdentifier(7)).toBe(7);
    expect(unquoteText(undefined)).toBeUndefined();
  });
});
