import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import Database from 'better-sqlite3';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { LIKES_CONFIG, type LikesConfig } from '../likes.config';
import { SAMPLE_USERS, samplePost } from './sample-posts';

/** Injection token of the read-only better-sqlite3 connection to the posts database. */
export const SQLITE = Symbol('SQLITE');

const SCHEMA = `
CREATE TABLE IF NOT EXISTS users (
  username     TEXT PRIMARY KEY,
  display_name TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS posts (
  id         INTEGER PRIMARY KEY,
  author     TEXT    NOT NULL REFERENCES users (username),
  text       TEXT    NOT NULL,
  created_at TEXT    NOT NULL
);
`;

/**
 * Creates the posts database if needed and makes sure users and posts 1..`posts` exist (`--init`).
 * Idempotent: existing rows are left as they are. Returns how many posts there are.
 */
export function seedPostsDatabase(path: string, posts: number): number {
  mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  try {
    db.exec(SCHEMA);
    const user = db.prepare(
      'INSERT OR IGNORE INTO users (username, display_name) VALUES (@username, @display_name)',
    );
    const post = db.prepare(
      'INSERT OR IGNORE INTO posts (id, author, text, created_at) VALUES (@id, @author, @text, @created_at)',
    );
    db.transaction(() => {
      for (const u of SAMPLE_USERS) user.run(u);
      for (let id = 1; id <= posts; id++) post.run(samplePost(id));
    })();
    return (db.prepare('SELECT count(*) AS n FROM posts').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/** Opens the posts database read-only; likes never writes it. */
export function openPostsDatabase(path: string): Database.Database {
  if (!existsSync(path)) {
    throw new Error(`posts database ${path} not found: run bin/init.sh (or main.js --init) first`);
  }
  return new Database(path, { readonly: true, fileMustExist: true });
}

/** The one SQLite connection of an instance, closed after the HTTP server has stopped. */
@Global()
@Module({
  providers: [
    {
      provide: SQLITE,
      inject: [LIKES_CONFIG],
      useFactory: (config: LikesConfig) => openPostsDatabase(config.POSTS_DB_PATH),
    },
  ],
  exports: [SQLITE],
})
export class PostsDatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(SQLITE) private readonly db: Database.Database) {}

  onApplicationShutdown(): void {
    this.db.close();
  }
}
