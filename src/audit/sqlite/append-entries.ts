import Database from 'better-sqlite3';
import { CredenceError } from '../../core/errors/index.js';
import { sqliteNativeBinding } from '../../store/sqlite/native-binding.js';
import { type AuditEntry, type AuditInput, GENESIS_HASH, sealEntry } from '../audit-entry.js';
import { AUDIT_SQL, auditSchema, SUBJECT_INDEX_EVERY } from './sqlite-audit-schema.js';

type Head = { seq: number; hash: string } | undefined;

/**
 * Appends entries to the audit log in the database file at `path` and returns once they are
 * committed: a connection of its own, closed before it returns, and one IMMEDIATE transaction that
 * creates the audit tables if missing, reads the head under the write lock, inserts each entry and
 * moves the head — so the chain stays whole beside a running server or another command appending
 * to the same file, as with `SqliteAuditLog`.
 *
 * For a command that appends once and exits (the CLI). It loads the entry sealer and better-sqlite3
 * only, not the adapter behind `openSqliteAuditLog`: that one's verifier starts worker threads
 * found beside its module, which the bundled `credence score` cannot carry, and it catches up the
 * by-person index when it opens. Here, once `SUBJECT_INDEX_EVERY` entries or more wait after the
 * index's mark, they are moved into `audit_subject` in the same transaction, as the adapter does
 * after its appends: entries written by commands alone never leave a tail that every look-up of a
 * person scans.
 *
 * @example
 * appendToAuditLog('credence.db', [{ at: Date.now(), actor: 'cli:ana', action: 'score.read', subject: 'P0000001' }]);
 */
export function appendToAuditLog(path: string, inputs: readonly AuditInput[]): AuditEntry[] {
  if (inputs.length === 0) return [];
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { fileMustExist: path !== ':memory:', nativeBinding: sqliteNativeBinding() });
    db.pragma('busy_timeout = 10000');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    const d = db;
    return d
      .transaction(() => {
        d.exec(auditSchema);
        const head = d.prepare(AUDIT_SQL.head).get() as Head;
        let seq = head?.seq ?? 0;
        let hash = head?.hash ?? GENESIS_HASH;
        const insert = d.prepare(
          'INSERT INTO audit_log (seq, at, actor, action, subject, purpose, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
        );
        const out = inputs.map((input) => {
          const e = sealEntry(input, seq, hash);
          insert.run(e.seq, e.at, e.actor, e.action, e.subject, e.purpose, e.detail, e.prevHash, e.hash);
          seq = e.seq;
          hash = e.hash;
          return e;
        });
        d.prepare(AUDIT_SQL.setHead).run(seq, hash);
        const mark = (d.prepare(AUDIT_SQL.mark).pluck().get() as number) ?? 0;
        if (seq - mark >= SUBJECT_INDEX_EVERY) {
          d.prepare(AUDIT_SQL.indexTail).run(mark, seq);
          d.prepare(AUDIT_SQL.setMark).run(seq);
        }
        return out;
      })
      .immediate();
  } catch (e) {
    throw new CredenceError(
      'CREDENCE_E_DB',
      `cannot write the audit log in ${path}: ${(e as Error).message}`,
      {
        file: path,
      },
    );
  } finally {
    if (db?.open) db.close();
  }
}
