import type Database from 'better-sqlite3';
import { type AuditEntry, type AuditInput, GENESIS_HASH, sealEntry } from '../audit-entry.js';
import { AUDIT_SQL, SUBJECT_INDEX_EVERY } from './sqlite-audit-schema.js';

type Head = { seq: number; hash: string } | undefined;

/**
 * Appends entries inside the caller's transaction on `db`, which must already hold the write lock
 * (an IMMEDIATE transaction): the head is read under that lock, so the chain stays one chain beside
 * every other connection and process appending to the file. Once `SUBJECT_INDEX_EVERY` entries or
 * more wait after the by-person index's mark, they are moved into `audit_subject` in the same
 * transaction. `db` must hold the `auditSchema` tables.
 *
 * For writers that commit something else in the same transaction: the one-shot appender
 * (`append-entries.ts`), and the store, which commits a batch of facts with the entry that records
 * it (`BatchRecord`), so a process killed after the commit leaves both or neither.
 *
 * @example
 * const chain = new ChainAppender(db);
 * db.transaction(() => { insertFacts(); chain.append([entry]); }).immediate();
 */
export class ChainAppender {
  readonly #head: Database.Statement;
  readonly #insert: Database.Statement;
  readonly #setHead: Database.Statement;
  readonly #mark: Database.Statement;
  readonly #indexTail: Database.Statement;
  readonly #setMark: Database.Statement;

  constructor(db: Database.Database) {
    this.#head = db.prepare(AUDIT_SQL.head);
    this.#insert = db.prepare(
      'INSERT INTO audit_log (seq, at, actor, action, subject, purpose, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.#setHead = db.prepare(AUDIT_SQL.setHead);
    this.#mark = db.prepare(AUDIT_SQL.mark).pluck();
    this.#indexTail = db.prepare(AUDIT_SQL.indexTail);
    this.#setMark = db.prepare(AUDIT_SQL.setMark);
  }

  /** Seals and inserts `inputs` in order after the current head; returns the stored entries. */
  append(inputs: readonly AuditInput[]): AuditEntry[] {
    if (inputs.length === 0) return [];
    const head = this.#head.get() as Head;
    let seq = head?.seq ?? 0;
    let hash = head?.hash ?? GENESIS_HASH;
    const out = inputs.map((input) => {
      const e = sealEntry(input, seq, hash);
      this.#insert.run(e.seq, e.at, e.actor, e.action, e.subject, e.purpose, e.detail, e.prevHash, e.hash);
      seq = e.seq;
      hash = e.hash;
      return e;
    });
    this.#setHead.run(seq, hash);
    const mark = (this.#mark.get() as number | undefined) ?? 0;
    if (seq - mark >= SUBJECT_INDEX_EVERY) {
      this.#indexTail.run(mark, seq);
      this.#setMark.run(seq);
    }
    return out;
  }
}
