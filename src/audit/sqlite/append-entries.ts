import Database from 'better-sqlite3';
import { CredenceError } from '../../core/errors/index.js';
import { sqliteNativeBinding } from '../../store/sqlite/native-binding.js';
import type { AuditEntry, AuditInput } from '../audit-entry.js';
import { ChainAppender } from './chain-append.js';
import { auditSchema } from './sqlite-audit-schema.js';

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
        return new ChainAppender(d).append(inputs);
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
