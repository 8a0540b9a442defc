import Database from 'better-sqlite3';

/** An entry about a person that the subject index does not list. */
export interface Unindexed {
  readonly seq: number;
  readonly subject: string;
}

// Each entry about a person up to the index's mark must have its `audit_subject` row: a person's
// entries are found through that index, so a row deleted from it (or a mark moved past rows never
// indexed) would hide an inquiry from the person while the hash chain stays intact.
const FIRST_UNINDEXED_SQL = `SELECT l.seq, l.subject FROM audit_log l
  WHERE l.seq >= ? AND l.seq <= ? AND l.subject IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM audit_subject s WHERE s.subject = l.subject AND s.seq = l.seq)
  ORDER BY l.seq LIMIT 1`;

/**
 * The first entry in `[from, to]` about a person that `audit_subject` does not list, if any
 * (`to` is at most the index's mark: later entries are found by scanning the log itself).
 *
 * @example
 * firstUnindexed(db, 1, mark) // { seq: 15, subject: 'P0000493' } after that row was deleted
 */
export function firstUnindexed(db: Database.Database, from: number, to: number): Unindexed | undefined {
  if (to < from) return undefined;
  return db.prepare(FIRST_UNINDEXED_SQL).get(from, to) as Unindexed | undefined;
}

/** `{ unindexed }` for the slice `[from, to]` of the log in `path`, on a connection of its own. */
export function unindexedIn(path: string, from: number, to: number): { unindexed?: Unindexed } {
  if (to < from) return {};
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const u = firstUnindexed(db, from, to);
    return u ? { unindexed: u } : {};
  } finally {
    db.close();
  }
}
