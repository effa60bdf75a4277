import { Inject, Injectable } from '@nestjs/common';
import type Database from 'better-sqlite3';
import { SQLITE } from './posts.database';

/** What reads show of a post besides its likes. */
export interface Post {
  posts_id: number;
  author: string;
  text: string;
}

/** The `posts` table, read-only: the posts that can be liked. */
@Injectable()
export class PostsRepository {
  private readonly statements;

  constructor(@Inject(SQLITE) db: Database.Database) {
    this.statements = {
      one: db.prepare<[number], Post>('SELECT id AS posts_id, author, text FROM posts WHERE id = ?'),
      many: db.prepare<[string], Post>(
        'SELECT id AS posts_id, author, text FROM posts WHERE id IN (SELECT value FROM json_each(?))',
      ),
    };
  }

  find(id: number): Post | undefined {
    return this.statements.one.get(id);
  }

  /** The posts among `ids` that exist, by id. */
  findMany(ids: readonly number[]): Map<number, Post> {
    if (ids.length === 0) return new Map();
    return new Map(this.statements.many.all(JSON.stringify(ids)).map((p) => [p.posts_id, p]));
  }
}
