import { count, isoTime } from '@app/http';
import { z } from 'zod';

/** A post as seeded into posts.db. */
export const postView = z.object({
  posts_id: z.number().int().positive(),
  author: z.string(),
  text: z.string(),
});

/** A post with its like count: `GET /posts/:id/likes`, and each entry of the top list. */
export const postLikesView = postView
  .extend({ likes: count })
  .meta({ id: 'PostLikes', description: 'A post with its like count.' });
export type PostLikes = z.infer<typeof postLikesView>;

/** A like as a like or an unlike answers it: who, which post, when, and the post's count after it. */
export const likeView = z
  .object({ username: z.string(), ...postView.shape, liked_at: isoTime, likes: count })
  .meta({ id: 'Like', description: "A like, with the post's count after the change." });
export type LikeView = z.infer<typeof likeView>;

/** The most liked posts, most first. */
export const topView = z.object({ posts: z.array(postLikesView) }).meta({ id: 'TopPosts' });
export type TopView = z.infer<typeof topView>;

/** A page of a user's likes, newest first; `next_cursor` fetches the next one and is null on the last. */
export const userLikesView = z
  .object({
    username: z.string(),
    total: count,
    likes: z.array(postView.extend({ liked_at: isoTime })),
    next_cursor: z.string().nullable(),
  })
  .meta({ id: 'UserLikesPage', description: "A page of a user's likes, newest first." });
export type UserLikesView = z.infer<typeof userLikesView>;
