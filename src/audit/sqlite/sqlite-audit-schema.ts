/** Entries appended before the tail is moved into `audit_subject` (see `auditSchema`). */
export const SUBJECT_INDEX_EVERY = 2048;

/**
 * The audit tables, created if missing in the same database file as the store (the audit log
 * has its own connection and its own schema, so the store's migrations stay the store's).
 *
 * Entries are found by person through `audit_subject`, filled in bulk up to
 * `audit_subject_mark.seq`; later entries are found by scanning the short tail of the log. It
 * replaces an index on `audit_log (subject, seq)`, which put one scattered B-tree page into the
 * commit of every entry (people are asked about in no order): filled thousands at a time, in key
 * order, a page is written once for all the entries that land on it. The gain is the number of
 * entries per touched page, large while the index is small next to a batch, shrinking towards
 * one as it grows far beyond (see BENCHMARKS.md). Both tables are derived from the log, outside
 * the hash chain, and filled from it again when missing.
 * Triggers refuse UPDATE and DELETE through SQL; someone editing the file by other means is
 * what the hash chain and `credence audit verify` are for.
 */
export const auditSchema = `
  CREATE TABLE IF NOT EXISTS audit_log (
    seq       INTEGER PRIMARY KEY,
    at        INTEGER NOT NULL,
    actor     TEXT    NOT NULL,
    action    TEXT    NOT NULL,
    subject   TEXT,
    purpose   TEXT,
    detail    TEXT    NOT NULL,
    prev_hash TEXT    NOT NULL,
    hash      TEXT    NOT NULL
  );
  DROP INDEX IF EXISTS audit_log_subject;
  CREATE TABLE IF NOT EXISTS audit_subject (
    subject TEXT    NOT NULL,
    seq     INTEGER NOT NULL,
    PRIMARY KEY (subject, seq)
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS audit_subject_mark (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    seq INTEGER NOT NULL
  );
  INSERT OR IGNORE INTO audit_subject_mark (id, seq) VALUES (1, 0);
  CREATE TABLE IF NOT EXISTS audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  INTEGER NOT NULL,
    hash TEXT    NOT NULL
  );
  CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
  CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
`;

/**
 * The statements every appender runs around its inserts: the chain's head, and the by-person index
 * caught up to the mark (in key order, so the B-tree is filled page by page). Shared by the
 * adapter and `ChainAppender` (the one-shot appender's and the store's), so all keep the chain and the
 * index alike.
 */
export const AUDIT_SQL = {
  head: 'SELECT seq, hash FROM audit_head WHERE id = 1',
  setHead: 'INSERT OR REPLACE INTO audit_head (id, seq, hash) VALUES (1, ?, ?)',
  mark: 'SELECT seq FROM audit_subject_mark WHERE id = 1',
  // The index is derived from the log, so a mark moved back or deleted by hand is repaired by the
  // next catch-up: the mark row is put back and rows already indexed are skipped, where a plain
  // UPDATE and INSERT left every later entry unfound, or failed every open of the file.
  setMark: 'INSERT OR REPLACE INTO audit_subject_mark (id, seq) VALUES (1, ?)',
  indexTail:
    'INSERT OR IGNORE INTO audit_subject (subject, seq) SELECT subject, seq FROM audit_log WHERE seq > ? AND seq <= ? AND subject IS NOT NULL ORDER BY subject, seq',
} as const;
