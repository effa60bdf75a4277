import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';

// Each --init is a node process start plus a seed; slow machines need more than jest's 5 s.
jest.setTimeout(30_000);

describe('likes --init (bin/init.sh)', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'chirp-init-')), 'var', 'posts.db');
  const init = (posts?: number) =>
    execFileSync(process.execPath, ['dist/apps/likes/main.js', '--init'], {
      env: { ...process.env, POSTS_DB_PATH: path, ...(posts ? { POSTS_SEED_COUNT: String(posts) } : {}) },
      encoding: 'utf8',
    });
  const read = <T>(sql: string): T => {
    const db = new Database(path, { readonly: true });
    try {
      return db.prepare(sql).get() as T;
    } finally {
      db.close();
    }
  };

  it('creates and seeds posts.db deterministically, idempotently, and grows it on request', () => {
    expect(init()).toContain('300 posts ready');
    const first = read<{ id: number; author: string; text: string }>('SELECT * FROM posts WHERE id = 1');
    expect(init()).toContain('300 posts ready');
    expect(read('SELECT * FROM posts WHERE id = 1')).toEqual(first);
    expect(first).toMatchObject({ author: 'emeka', text: 'Honestly, tried a flaky test #chirp' });
    expect(read<{ n: number }>('SELECT count(*) AS n FROM users').n).toBe(12);
    expect(read<{ n: number }>("SELECT count(*) AS n FROM users WHERE username = 'John'").n).toBe(1);

    expect(init(5000)).toContain('5000 posts ready');
    expect(read('SELECT * FROM posts WHERE id = 1')).toEqual(first);
    expect(read<{ n: number }>('SELECT count(*) AS n FROM posts').n).toBe(5000);
  });
});
