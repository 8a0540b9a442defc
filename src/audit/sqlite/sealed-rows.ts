import Database from 'better-sqlite3';
import type { AuditRow, SealedRow } from '../audit-range.js';
import { AUDIT_ROW_SQL, SEALED_ROW_SQL } from './sealed-text-sql.js';

/**
 * The entries `[from, to]` of the log in `path`, in seq order, as `SealedRow`s from a read-only
 * connection of their own (a verification runs beside the server's appends; WAL gives it one
 * snapshot). Close it when done, also on an early stop.
 *
 * @example
 * const rows = sealedRows('credence.db', 1, 1_000_000); for (const r of rows) …; rows.close();
 */
export function sealedRows(path: string, from: number, to: number): Iterable<SealedRow> & { close(): void } {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  const it = db
    .prepare(`SELECT ${SEALED_ROW_SQL} FROM audit_log WHERE seq >= ? AND seq <= ? ORDER BY seq`)
    .raw()
    .iterate(from, to) as IterableIterator<SealedRow>;
  return {
    [Symbol.iterator]: () => it,
    close() {
      it.return?.();
      db.close();
    },
  };
}

/**
 * Reads one whole row by seq, on a connection opened on first use: better-sqlite3 cannot run a
 * query on a connection that is iterating, and the recheck is rare (never, on an intact log
 * written by this code).
 */
export function openRowBySeq(path: string): { get: (seq: number) => AuditRow | undefined; close(): void } {
  let db: Database.Database | undefined;
  let st: Database.Statement | undefined;
  return {
    get(seq) {
      if (!st) {
        db = new Database(path, { readonly: true, fileMustExist: true });
        st = db.prepare(`SELECT ${AUDIT_ROW_SQL} FROM audit_log WHERE seq = ?`).raw();
      }
      return st.get(seq) as AuditRow | undefined;
    },
    close() {
      db?.close();
    },
  };
}
