/** Where a page of a user's likes ends: the last like's time (ms) and post id. */
export interface PageCursor {
  likedAt: number;
  postId: number;
}

const CURSOR = /^(\d{1,15})\.([1-9]\d{0,11})$/;

/** The opaque-looking text form of a cursor, e.g. "1732361816123.42". */
export function formatCursor(cursor: PageCursor): string {
  return `${cursor.likedAt}.${cursor.postId}`;
}

/** Parses a cursor made by {@link formatCursor}; undefined when it is not one. */
export function parseCursor(text: string): PageCursor | undefined {
  const match = CURSOR.exec(text);
  return match ? { likedAt: Number(match[1]), postId: Number(match[2]) } : undefined;
}
