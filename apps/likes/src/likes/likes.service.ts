import { ConflictError, NotFoundError, StoreUnavailableError } from '@app/errors';
import { toIso } from '@app/http';
import { Injectable } from '@nestjs/common';
import { type Post, PostsRepository } from '../posts/posts.repository';
import { formatCursor, type PageCursor } from './cursor';
import { LikesRepairService } from './likes-repair.service';
import { LikesRepository } from './likes.repository';
import type { LikeView, PostLikes, TopView, UserLikesView } from './dto/likes.view';

/**
 * Liking, unliking and the three reads; posts come from SQLite, likes from Redis. A change is
 * recorded first (atomically, in the post's slot), then the indexes follow it.
 */
@Injectable()
export class LikesService {
  constructor(
    private readonly likes: LikesRepository,
    private readonly indexes: LikesRepairService,
    private readonly posts: PostsRepository,
  ) {}

  async like(postId: number, username: string): Promise<LikeView> {
    const post = this.post(postId);
    const change = await this.likes.like(postId, username).catch(this.checkLater(postId, username));
    // A second like follows too: a retry after a crash between the two steps heals that like.
    await this.indexes.follow(postId, username, change);
    if (!change.created) throw new ConflictError(`${username} already likes post ${postId}`);
    return { username, ...post, liked_at: toIso(change.likedAt), likes: change.likes };
  }

  async unlike(postId: number, username: string): Promise<LikeView> {
    const post = this.post(postId);
    const change = await this.likes.unlike(postId, username).catch(this.checkLater(postId, username));
    if (!change) throw new NotFoundError(`${username} does not like post ${postId}`);
    await this.indexes.follow(postId, username, { ...change, likedAt: null });
    return { username, ...post, liked_at: toIso(change.likedAt), likes: change.likes };
  }

  async count(postId: number): Promise<PostLikes> {
    const post = this.post(postId);
    return { ...post, likes: await this.likes.count(postId) };
  }

  async top(limit: number): Promise<TopView> {
    const top = await this.likes.top(limit);
    const posts = this.posts.findMany(top.map((t) => t.postId));
    return { posts: top.flatMap((t) => withPost(posts.get(t.postId), { likes: t.likes })) };
  }

  async userLikes(username: string, cursor: PageCursor | undefined, limit: number): Promise<UserLikesView> {
    // One more than asked tells whether another page follows.
    const { total, likes } = await this.likes.userLikes(username, cursor, limit + 1);
    const page = likes.slice(0, limit);
    const posts = this.posts.findMany(page.map((l) => l.postId));
    const last = page.at(-1);
    return {
      username,
      total,
      likes: page.flatMap((l) => withPost(posts.get(l.postId), { liked_at: toIso(l.likedAt) })),
      next_cursor: likes.length > limit && last ? formatCursor(last) : null,
    };
  }

  // A change that failed may still have been made (Redis applied it, then the answer was lost).
  private checkLater(postId: number, username: string): (error: unknown) => never {
    return (error) => {
      if (error instanceof StoreUnavailableError) this.indexes.later(postId, username);
      throw error;
    };
  }

  private post(postId: number): Post {
    const post = this.posts.find(postId);
    if (!post) throw new NotFoundError(`post ${postId} not found`);
    return post;
  }
}

// A liked post missing from posts.db (a smaller re-seed) is left out rather than shown half-empty.
function withPost<T extends object>(post: Post | undefined, extra: T): (Post & T)[] {
  return post ? [{ ...post, ...extra }] : [];
}
