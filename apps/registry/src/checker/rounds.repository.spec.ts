import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../database/database.module';
import { ADDED_COLUMNS, SCHEMA } from '../database/schema';
import { InstancesRepository } from '../instances/instances.repository';
import { ChangeIndexRepository } from '../watch/change-index.repository';
import { RoundsRepository } from './rounds.repository';

describe(RoundsRepository.name, () => {
  let sut: RoundsRepository;

  beforeEach(() => {
    sut = new RoundsRepository(openDatabase(':memory:'));
  });

  it('gives the lease to one holder until it expires', () => {
    expect(sut.tryAcquire('a', 1000, 0)).toBe(true);
    expect(sut.tryAcquire('b', 1000, 500)).toBe(false);
    expect(sut.tryAcquire('a', 1000, 500)).toBe(true); // renewal
    expect(sut.tryAcquire('b', 1000, 1499)).toBe(false);
    expect(sut.tryAcquire('b', 1000, 1500)).toBe(true);
    expect(sut.tryAcquire('a', 1000, 1600)).toBe(false);
  });

  it('frees the lease on release', () => {
    sut.tryAcquire('a', 60_000, 0);
    sut.release('a');
    expect(sut.tryAcquire('b', 1000, 1)).toBe(true);
  });

  it('extends only its own lease', () => {
    sut.tryAcquire('a', 100, 0);
    sut.extend('b', 10_000, 50);
    expect(sut.tryAcquire('b', 100, 101)).toBe(true);
  });

  it('adds the columns a database from an older release lacks', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'chirp-rounds-')), 'registry.db');
    const old = new Database(path);
    old.exec(
      ADDED_COLUMNS.reduce(
        (schema, [, column]) => schema.replace(new RegExp(`,\\s*${column}\\s[^\\n,]*`), ''),
        SCHEMA,
      ),
    );
    old.prepare("INSERT INTO rounds (holder, started_at) VALUES ('old', 1)").run();
    old
      .prepare(
        `INSERT INTO instances (service_name, id, url, http, health_path, status, registered_at, last_seen)
      VALUES ('likes', '127.0.0.1:1', 'http://127.0.0.1:1', 'GET', '/health-check', 'critical', 1, 1)`,
      )
      .run();
    old.close();
    const db = openDatabase(path);
    expect(new RoundsRepository(db).recent(1)).toEqual([
      expect.objectContaining({ holder: 'old', unrouted: 0, withheld: 0, withheld_reason: null }),
    ]);
    expect(new InstancesRepository(db, new ChangeIndexRepository(db)).all()).toEqual([
      expect.objectContaining({
        status: 'critical',
        consecutive_successes: 0,
        critical_since: null,
        tags: [],
        meta: {},
        last_output: '',
      }),
    ]);
    db.close();
  });

  it('logs rounds newest first', () => {
    const first = sut.start('a', 10);
    const withheld_reason = 'mass failure: 3 of 3 likes instances failed their check';
    sut.finish(first, { checked: 2, failed: 1, pruned: 1, unrouted: 1, withheld: 3, withheld_reason }, 20);
    sut.start('a', 30);
    expect(sut.recent(10)).toEqual([
      expect.objectContaining({ started_at: 30, finished_at: null }),
      expect.objectContaining({
        started_at: 10,
        finished_at: 20,
        checked: 2,
        failed: 1,
        pruned: 1,
        unrouted: 1,
        withheld: 3,
        withheld_reason,
      }),
    ]);
  });
});
