import { StoreUnavailableError } from '@app/errors';
import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CHECK } from '../../instances/instance';
import { registryStoreContract } from '../registry-store.contract';
import { ADDED_COLUMNS, SCHEMA } from './schema';
import { sqliteStore } from './sqlite-store';
import { openDatabase, sqlite } from './sqlite';

describe('the SQLite registry store', () => {
  registryStoreContract(() => Promise.resolve(sqliteStore(':memory:')));

  it('keeps exactly the newest `limit` checks', async () => {
    const { checks } = sqliteStore(':memory:');
    const record = (at: number) => ({
      service_name: 'likes',
      instance_id: '127.0.0.1:1',
      url: 'http://127.0.0.1:1',
      checked_at: at,
      status_code: 200,
      latency_ms: 1,
      error: null,
      passed: true,
    });
    await checks.append([1, 2, 3, 4, 5].map(record), 3);
    expect((await checks.byService('likes', 10)).map((c) => c.checked_at)).toEqual([5, 4, 3]);
  });

  it('answers "sqlite unavailable" when the database is locked past busy_timeout, and changes nothing', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'chirp-busy-')), 'registry.db');
    const store = sqliteStore(path);
    store.db.pragma('busy_timeout = 50');
    const other = new Database(path);
    other.exec('BEGIN IMMEDIATE');
    const registration = {
      service_name: 'likes',
      url: 'http://127.0.0.1:1',
      http: 'GET' as const,
      health_path: '/h',
      check: DEFAULT_CHECK,
      tags: [],
      meta: {},
    };
    await expect(store.instances.register(registration)).rejects.toEqual(
      new StoreUnavailableError('sqlite', 'SQLITE_BUSY'),
    );
    other.exec('ROLLBACK');
    other.close();
    expect(await store.instances.all()).toEqual([]);
    store.db.close();
    await expect(store.instances.all()).rejects.toBeInstanceOf(StoreUnavailableError);
  });

  it('passes a bug (a broken constraint) on as it is', async () => {
    const db = openDatabase(':memory:');
    await expect(sqlite(() => db.exec('INSERT INTO change_index (id, value) VALUES (2, 1)'))).rejects.toThrow(
      /CHECK/,
    );
  });

  it('adds the columns a database from an older release lacks', async () => {
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
    const store = sqliteStore(path);
    expect(await store.rounds.recent(1)).toEqual([
      expect.objectContaining({ holder: 'old', epoch: 0, unrouted: 0, withheld: 0, withheld_reason: null }),
    ]);
    expect(await store.instances.all()).toEqual([
      expect.objectContaining({
        status: 'critical',
        consecutive_successes: 0,
        critical_since: null,
        weight: 1,
        maintenance: null,
        check: DEFAULT_CHECK,
        ttl: null,
        tags: [],
        meta: {},
        last_output: '',
      }),
    ]);
    store.db.close();
  });
});
