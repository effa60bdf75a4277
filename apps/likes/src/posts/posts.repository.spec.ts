import Database from 'better-sqlite3';
import { PostsRepository } from './posts.repository';

describe(PostsRepository.name, () => {
  let db: Database.Database;
  let sut: PostsRepository;
  const insert = (id: number, text: string) =>
    db.prepare('INSERT INTO posts (id, author, text) VALUES (?, ?, ?)').run(id, 'ana', text);

  beforeEach(() => {
    db = new Database(':memory:');
    db.exec('CREATE TABLE posts (id INTEGER PRIMARY KEY, author TEXT NOT NULL, text TEXT NOT NULL)');
    insert(1, 'first');
    insert(2, 'second');
    sut = new PostsRepository(db);
  });

  it('finds posts one by one and several at once', () => {
    expect(sut.find(1)).toEqual({ posts_id: 1, author: 'ana', text: 'first' });
    expect(sut.find(3)).toBeUndefined();
    expect([...sut.findMany([2, 1, 3]).keys()].sort()).toEqual([1, 2]);
  });

  it('sees a post added after a miss (misses are not cached)', () => {
    expect(sut.find(3)).toBeUndefined();
    expect(sut.findMany([3]).size).toBe(0);
    insert(3, 'third');
    expect(sut.find(3)?.text).toBe('third');
    expect(sut.findMany([3, 1]).get(3)?.text).toBe('third');
  });

  it('answers found posts from memory', () => {
    sut.findMany([1, 2]);
    db.exec('DELETE FROM posts');
    expect(sut.find(1)?.text).toBe('first');
    expect(sut.findMany([1, 2]).size).toBe(2);
  });
});
