import { postIdOf, postMember } from './keys';

describe(postMember.name, () => {
  it('pads ids so that members of equal score sort by numeric id', () => {
    const members = [9, 10, 100, 2].map(postMember).sort();
    expect(members.map(postIdOf)).toEqual([2, 9, 10, 100]);
  });

  it('round-trips the largest accepted id', () => {
    expect(postIdOf(postMember(999_999_999_999))).toBe(999_999_999_999);
  });
});
