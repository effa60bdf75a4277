/**
 * Where likes live in Redis. Post ids are stored zero-padded, so members of equal score sort by id:
 * the top list breaks ties by post id (higher id, i.e. newer post, first) in a stable order.
 */
export const KEYS = {
  /** Set of the usernames that like a post: "the like" itself. */
  likers: (postId: number): string => `likes:post:${postId}:users`,
  /** Sorted set of posts scored by their like count. */
  top: 'likes:top',
  /** Sorted set of the posts a user likes, scored by the time of the like (ms). */
  user: (username: string): string => `likes:user:${username}:posts`,
};

const MEMBER_DIGITS = 12;

/** The sorted-set member of a post id. */
export function postMember(postId: number): string {
  return String(postId).padStart(MEMBER_DIGITS, '0');
}

/** The post id of a sorted-set member. */
export function postIdOf(member: string): number {
  return Number(member);
}
