import { Inject, Injectable } from '@nestjs/common';
import type Database from 'better-sqlite3';
import { LRUCache } from 'lru-cache';
import { SQLITE } from './posts-database.module';

/** What reads show of a post besides its likes. */
export interface Post {
  posts_id: number;
  author: string;
  text: string;
}

// Posts never change once seeded, so a found post can be kept; a missing one is not remembered,
// so posts added by a later `--init` show up at once. The cache spares a SQLite read per request.
const POSTS_CACHED = 10_000;

/** The `posts` table, read-only: the posts that can be liked. */
@Injectable()
export class PostsRepository {
  private readonly statements;
  private readonly cache = new LRUCache<number, Post>({ max: POSTS_CACHED });

  constructor(@Inject(SQLITE) db: Database.Database) {
    this.statements = {
      one: db.prepare<[number], Post>('SELECT id AS posts_id, author, text FROM posts WHERE id = ?'),
      many: db.prepare<[string], Post>(
        'SELECT id AS posts_id, author, text FROM posts WHERE id IN (SELECT value FROM json_each(?))',
      ),
    };
  }

  find(id: number): Post | undefined {
    const cached = this.cache.get(id);
    if (cached) return cached;
    const post = this.statements.one.get(id);
    if (post) this.cache.set(id, post);
    return post;
  }

  /** The posts among `ids` that exist, by id. */
  findMany(ids: readonly number[]): Map<number, Post> {
    const found = new Map<number, Post>();
    const missing: number[] = [];
    for (const id of ids) {
      const cached = this.cache.get(id);
      if (cached) found.set(id, cached);
      else missing.push(id);
    }
    if (missing.length === 0) return found;
    for (const post of this.statements.many.all(JSON.stringify(missing))) {
      this.cache.set(post.posts_id, post);
      found.set(post.posts_id, post);
    }
    return found;
  }
}
