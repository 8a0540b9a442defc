/**
 * Tables the API keeps beside the store in the same file: keys, disputes (of facts and of identity
 * links), import receipts and rulebook drafts. Created if missing; the store's own migrations are
 * untouched.
 */
export const apiSchema = `
  CREATE TABLE IF NOT EXISTS api_keys (
    key_id     TEXT PRIMARY KEY,
    role       TEXT NOT NULL,
    name       TEXT NOT NULL,
    hash       TEXT NOT NULL,
    scopes     TEXT NOT NULL,
    purposes   TEXT NOT NULL,
    source     TEXT,
    subject    TEXT,
    rate       REAL NOT NULL,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS api_disputes (
    id          TEXT PRIMARY KEY,
    subject     TEXT NOT NULL,
    source      TEXT NOT NULL,
    fact_id     TEXT NOT NULL,
    reason      TEXT NOT NULL,
    opened_at   INTEGER NOT NULL,
    due_at      INTEGER NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('open', 'upheld', 'rejected')),
    resolved_at INTEGER,
    note        TEXT
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS api_disputes_subject ON api_disputes (subject);
  CREATE TABLE IF NOT EXISTS api_link_disputes (
    id          TEXT PRIMARY KEY,
    subject     TEXT NOT NULL,
    record_id   TEXT NOT NULL,
    reason      TEXT NOT NULL,
    opened_at   INTEGER NOT NULL,
    due_at      INTEGER NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('open', 'upheld', 'rejected')),
    resolved_at INTEGER,
    note        TEXT,
    moved_facts INTEGER,
    split_to    TEXT
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS api_link_disputes_subject ON api_link_disputes (subject);
  CREATE TABLE IF NOT EXISTS api_imports (
    id          TEXT PRIMARY KEY,
    key_id      TEXT NOT NULL,
    source      TEXT,
    received_at INTEGER NOT NULL,
    lines       INTEGER NOT NULL,
    accepted    INTEGER NOT NULL,
    duplicates  INTEGER NOT NULL,
    rejected    INTEGER NOT NULL,
    rejections  TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS api_rulebook_drafts (
    id         TEXT PRIMARY KEY,
    program    TEXT NOT NULL,
    name       TEXT NOT NULL,
    yaml       TEXT NOT NULL,
    loaded_at  INTEGER NOT NULL,
    version    INTEGER
  ) WITHOUT ROWID;
`;
