/**
 * The registry's tables; applied at every start, so each statement is idempotent. `tags`, `meta`,
 * `check_definition` (NULL: the HTTP check every instance had before there were others), `maintenance`
 * (NULL when not in maintenance) and `ttl` (NULL unless a TTL check) hold JSON.
 */
export const SCHEMA = `
CREATE TABLE IF NOT EXISTS instances (
  service_name         TEXT    NOT NULL,
  id                   TEXT    NOT NULL,
  url                  TEXT    NOT NULL,
  http                 TEXT    NOT NULL,
  health_path          TEXT    NOT NULL,
  tags                 TEXT    NOT NULL DEFAULT '[]',
  meta                 TEXT    NOT NULL DEFAULT '{}',
  status               TEXT    NOT NULL CHECK (status IN ('passing', 'critical')),
  weight               INTEGER NOT NULL DEFAULT 1,
  maintenance          TEXT,
  check_definition     TEXT,
  ttl                  TEXT,
  consecutive_failures INTEGER NOT NULL DEFAULT 0,
  consecutive_successes INTEGER NOT NULL DEFAULT 0,
  critical_since       INTEGER,
  last_output          TEXT    NOT NULL DEFAULT '',
  registered_at        INTEGER NOT NULL,
  last_seen            INTEGER NOT NULL,
  PRIMARY KEY (service_name, id)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS checks (
  seq          INTEGER PRIMARY KEY AUTOINCREMENT,
  service_name TEXT    NOT NULL,
  instance_id  TEXT    NOT NULL,
  url          TEXT    NOT NULL,
  checked_at   INTEGER NOT NULL,
  status_code  INTEGER,
  latency_ms   INTEGER NOT NULL,
  error        TEXT,
  passed       INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS checks_by_service ON checks (service_name, seq);

CREATE TABLE IF NOT EXISTS rounds (
  seq         INTEGER PRIMARY KEY AUTOINCREMENT,
  holder      TEXT    NOT NULL,
  epoch       INTEGER NOT NULL DEFAULT 0,
  started_at  INTEGER NOT NULL,
  finished_at INTEGER,
  checked     INTEGER NOT NULL DEFAULT 0,
  failed      INTEGER NOT NULL DEFAULT 0,
  pruned      INTEGER NOT NULL DEFAULT 0,
  unrouted    INTEGER NOT NULL DEFAULT 0,
  withheld    INTEGER NOT NULL DEFAULT 0,
  withheld_reason TEXT
);

-- One counter, bumped by every change to membership (Consul's index); blocking queries wait on it.
CREATE TABLE IF NOT EXISTS change_index (
  id    INTEGER PRIMARY KEY CHECK (id = 1),
  value INTEGER NOT NULL
);
INSERT OR IGNORE INTO change_index (id, value) VALUES (1, 1);

-- The checker's lease: its holder ('' once released), record version number and epoch (see CheckerLease).
CREATE TABLE IF NOT EXISTS checker_lease (
  name   TEXT    PRIMARY KEY,
  holder TEXT    NOT NULL,
  rvn    TEXT    NOT NULL,
  epoch  INTEGER NOT NULL
);
-- The wall-clock lease of releases before the fenced one; nothing reads it any more.
DROP TABLE IF EXISTS leases;
`;

/** Columns added after a table's first release: `table`, column, definition. */
export const ADDED_COLUMNS: [string, string, string][] = [
  ['rounds', 'unrouted', 'INTEGER NOT NULL DEFAULT 0'],
  ['rounds', 'withheld', 'INTEGER NOT NULL DEFAULT 0'],
  ['rounds', 'withheld_reason', 'TEXT'],
  ['rounds', 'epoch', 'INTEGER NOT NULL DEFAULT 0'],
  ['instances', 'consecutive_successes', 'INTEGER NOT NULL DEFAULT 0'],
  ['instances', 'critical_since', 'INTEGER'],
  ['instances', 'tags', "TEXT NOT NULL DEFAULT '[]'"],
  ['instances', 'meta', "TEXT NOT NULL DEFAULT '{}'"],
  ['instances', 'last_output', "TEXT NOT NULL DEFAULT ''"],
  ['instances', 'weight', 'INTEGER NOT NULL DEFAULT 1'],
  ['instances', 'maintenance', 'TEXT'],
  ['instances', 'check_definition', 'TEXT'],
  ['instances', 'ttl', 'TEXT'],
];
