import { ConflictError, NotFoundError } from '@app/errors';
import { createMock, type DeepMocked } from '@golevelup/ts-jest';
import type { PostsRepository } from '../posts/posts.repository';
import type { LikesRepairService } from './likes-repair.service';
import type { LikesRepository } from './likes.repository';
import { LikesService } from './likes.service';

describe(LikesService.name, () => {
  const post = { posts_id: 1, author: 'emeka', text: 'hello' };
  let likes: DeepMocked<LikesRepository>;
  let posts: DeepMocked<PostsRepository>;
  let indexes: DeepMocked<LikesRepairService>;
  let sut: LikesService;

  beforeEach(() => {
    likes = createMock<LikesRepository>();
    posts = createMock<PostsRepository>({
      find: jest.fn((id: number) => (id === 1 ? post : undefined)),
      findMany: jest.fn(
        (ids: readonly number[]) =>
          new Map<number, typeof post>(ids.filter((i) => i === 1).map((i) => [i, post])),
      ),
    });
    indexes = createMock<LikesRepairService>();
    sut = new LikesService(likes, indexes, posts);
  });

  it('returns the full record of a new like', async () => {
    const change = { created: true, likes: 3, likedAt: 0, version: '7' };
    likes.like.mockResolvedValue(change);
    await expect(sut.like(1, 'John')).resolves.toEqual({
      username: 'John',
      ...post,
      liked_at: '1970-01-01T00:00:00.000Z',
      likes: 3,
    });
    expect(indexes.follow).toHaveBeenCalledWith(1, 'John', change);
  });

  it('is a 409 when the like exists, and still brings the indexes up to it', async () => {
    const change = { created: false, likes: 3, likedAt: 0, version: '7' };
    likes.like.mockResolvedValue(change);
    await expect(sut.like(1, 'John')).rejects.toThrow(ConflictError);
    expect(indexes.follow).toHaveBeenCalledWith(1, 'John', change);
  });

  it('is a 404 for a missing post, without touching Redis', async () => {
    await expect(sut.like(2, 'John')).rejects.toThrow(new NotFoundError('post 2 not found'));
    await expect(sut.count(2)).rejects.toThrow(NotFoundError);
    expect(likes.like).not.toHaveBeenCalled();
    expect(likes.count).not.toHaveBeenCalled();
  });

  it('is a 404 when unliking a post the user does not like', async () => {
    likes.unlike.mockResolvedValue(undefined);
    await expect(sut.unlike(1, 'John')).rejects.toThrow(new NotFoundError('John does not like post 1'));
    expect(indexes.follow).not.toHaveBeenCalled();
  });

  it('returns what an unlike removed: when the like was made, and the count after it', async () => {
    likes.unlike.mockResolvedValue({ likedAt: Date.UTC(2026, 0, 2, 3, 4, 5), likes: 4, version: '9' });
    await expect(sut.unlike(1, 'John')).resolves.toEqual({
      username: 'John',
      ...post,
      liked_at: '2026-01-02T03:04:05.000Z',
      likes: 4,
    });
    expect(likes.unlike).toHaveBeenCalledWith(1, 'John');
    expect(indexes.follow).toHaveBeenCalledWith(1, 'John', { likes: 4, likedAt: null, version: '9' });
  });

  it('asks for one more like than the page to know whether another page follows', async () => {
    likes.userLikes.mockResolvedValue({
      total: 3,
      likes: [
        { postId: 1, likedAt: 30 },
        { postId: 1, likedAt: 20 },
        { postId: 1, likedAt: 10 },
      ],
    });
    const page = await sut.userLikes('John', undefined, 2);
    expect(likes.userLikes).toHaveBeenCalledWith('John', undefined, 3);
    expect(page.likes).toHaveLength(2);
    expect(page.next_cursor).toBe('20.1');

    likes.userLikes.mockResolvedValue({ total: 1, likes: [{ postId: 1, likedAt: 30 }] });
    expect((await sut.userLikes('John', undefined, 2)).next_cursor).toBeNull();
  });

  it('shows top posts with their author and text, leaving out posts missing from posts.db', async () => {
    likes.top.mockResolvedValue([
      { postId: 1, likes: 5 },
      { postId: 9, likes: 2 },
    ]);
    await expect(sut.top(10)).resolves.toEqual({ posts: [{ ...post, likes: 5 }] });
  });
});
