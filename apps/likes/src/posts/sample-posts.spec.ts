import { SAMPLE_USERS, samplePost } from './sample-posts';

describe(samplePost.name, () => {
  it('gives the same post for the same id on every run', () => {
    expect(samplePost(1)).toEqual(samplePost(1));
    expect(samplePost(1)).toEqual({
      id: 1,
      author: 'emeka',
      text: 'Honestly, tried a flaky test #chirp',
      created_at: '2024-01-01T00:01:00.000Z',
    });
  });

  it('writes every post by a known user, with some variety', () => {
    const users = new Set(SAMPLE_USERS.map((u) => u.username));
    const posts = Array.from({ length: 300 }, (_, i) => samplePost(i + 1));
    expect(posts.every((p) => users.has(p.author) && p.text.length > 0)).toBe(true);
    expect(new Set(posts.map((p) => p.text)).size).toBeGreaterThan(200);
  });
});
