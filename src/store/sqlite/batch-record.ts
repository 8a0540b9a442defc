import type Database from 'better-sqlite3';
import type { AuditInput } from '../../audit/audit-entry.js';
import { ChainAppender } from '../../audit/sqlite/chain-append.js';
import type { BatchRecord, ImportRecord } from '../store.js';
import { closeDisputeRow } from './dispute-close.js';
import type { FactSeal } from './fact-seal.js';
import { hasTable } from './table-seal.js';

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
 *
 * Each `facts.*` entry holds the facts' seal as the batch left it (`factSeal`, with the file's
 * schema version), listed in `seal_checkpoints`, as the CLI's `facts.ingest` entries are
 * (`auditWrite`): a fact stored over HTTP and then edited, its seal recomputed by hand, is named
 * by that entry in `credence audit verify`. Read in the batch's transaction, after its rows, so the
 * checkpoint is the seal of exactly the rows committed with it; one row read, whatever the batch.
 */
export class BatchRecorder {
  readonly #db: Database.Database;
  #chain: ChainAppender | undefined;
  #insertImport: Database.Statement | undefined;
  #seal: { read: Database.Statement; note: Database.Statement } | undefined;

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
      const seals = r.audit.some(isFactsEntry) ? this.#factSeal() : undefined;
      const entries = seals
        ? r.audit.map((e) => (isFactsEntry(e) ? { ...e, detail: { ...e.detail, ...seals } } : e))
        : r.audit;
      const written = this.#chain.append(entries);
      if (seals && this.#seal)
        for (const e of written) if (e.action.startsWith('facts.')) this.#seal.note.run(e.seq);
    }
  }

  /** The facts' seal as this transaction sees it, or undefined in a file without seals. */
  #factSeal(): { factSeal: FactSeal; schema: number } | undefined {
    if (!this.#seal) {
      // A file from before seals (upgraded by `credence init` only) has none to checkpoint.
      if (!hasTable(this.#db, 'seal_checkpoints')) return undefined;
      this.#seal = {
        read: this.#db.prepare('SELECT epoch, through, count, digest FROM fact_seal WHERE id = 1'),
        note: this.#db.prepare('INSERT OR IGNORE INTO seal_checkpoints (entry) VALUES (?)'),
      };
    }
    const factSeal = this.#seal.read.get() as FactSeal | undefined;
    if (!factSeal) return undefined;
    return { factSeal, schema: this.#db.pragma('user_version', { simple: true }) as number };
  }
}

const isFactsEntry = (e: AuditInput): boolean => e.action.startsWith('facts.');
