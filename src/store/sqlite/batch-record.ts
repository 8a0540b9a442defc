import type Database from 'better-sqlite3';
import { ChainAppender } from '../../audit/sqlite/chain-append.js';
import type { BatchRecord, ImportRecord } from '../store.js';
import { closeDisputeRow } from './dispute-close.js';

/** The statement that stores an import's row (`api_imports`), run with `importArgs`. */
export const INSERT_IMPORT = `INSERT INTO api_imports (id, key_id, source, received_at, lines, accepted, duplicates, rejected, rejections)
   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`;

/** An import's row in `INSERT_IMPORT`'s order. */
export const importArgs = (i: ImportRecord) =>
  [
    i.id,
    i.keyId,
    i.source,
    i.receivedAt,
    i.lines,
    i.accepted,
    i.duplicates,
    i.rejected,
    i.rejections,
  ] as const;

/**
 * Writes a batch's record (`BatchRecord`) inside the batch's transaction, after its rows. The
 * statements are prepared on the first record: only a server's batches carry one, and the server
 * creates the audit and API tables (`api_imports`) before its first batch, on this file.
 */
export class BatchRecorder {
  readonly #db: Database.Database;
  #chain: ChainAppender | undefined;
  #insertImport: Database.Statement | undefined;

  constructor(db: Database.Database) {
    this.#db = db;
  }

  apply(r: BatchRecord): void {
    const i = r.import;
    if (i) {
      this.#insertImport ??= this.#db.prepare(INSERT_IMPORT);
      this.#insertImport.run(...importArgs(i));
    }
    // Before its entry: a dispute answered meanwhile refuses the batch before anything is appended.
    if (r.dispute) closeDisputeRow(this.#db, r.dispute);
    if (r.audit && r.audit.length > 0) {
      this.#chain ??= new ChainAppender(this.#db);
      this.#chain.append(r.audit);
    }
  }
}
