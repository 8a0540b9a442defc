import type Database from 'better-sqlite3';
import { hex, MOD, rowDigest } from './row-digest.js';

/**
 * The seal over `facts`: how many rows there are and the sum, modulo 2^256, of each row's SHA-256
 * (an additive multiset hash), kept in `fact_seal` by every write of the table in the transaction
 * of the write. `credence audit verify` recomputes it from the rows, so a fact added, removed or
 * changed by any means but Credence's own writes (an edit of the file with `sqlite3`) is found;
 * each row's `hash` is also checked against its body, which names the row whose body was edited.
 *
 * Decided here:
 * - A row's digest covers what the furnisher sent and when it was stored (seq, source, id, type,
 *   occurrence, the body's digest, what it retracts, receipt), not `subject`: which person a fact
 *   is filed under is identity resolution's decision, moved by merges and splits.
 * - Additive, so a write adds its rows' digests and a purge subtracts the deleted ones without
 *   reading the table; the order rows are written in does not matter.
 * - `epoch` counts purges: a checkpoint of the seal taken into the audit chain (`factSeal` in an
 *   entry's detail) holds for the rows up to its `through` seq as long as no purge came after it.
 */
export const FACT_SEAL_MIGRATION = `
  CREATE TABLE fact_seal (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    epoch   INTEGER NOT NULL,
    through INTEGER NOT NULL,
    count   INTEGER NOT NULL,
    digest  TEXT    NOT NULL
  );
  -- Which audit entries hold a checkpoint of a seal (a look-up aid outside the hash chain; the
  -- checkpoint itself is in the entry's sealed detail).
  CREATE TABLE seal_checkpoints (entry INTEGER PRIMARY KEY);
`;

/** The columns a row's digest covers, in the order `factRowDigest` reads them. */
export const SEALED_FACT_COLUMNS = 'seq, source, id, type, at, hash, retracts, received_at';

/** A fact row as the seal reads it: the `SEALED_FACT_COLUMNS`, in order. */
export type SealedFactRow = readonly [
  seq: number,
  source: string,
  id: string,
  type: string | null,
  at: number,
  hash: string,
  retracts: string | null,
  receivedAt: number,
];

/** One row's SHA-256 as a number below 2^256 (the fields alone, no table name before them). */
export function factRowDigest(r: SealedFactRow): bigint {
  return rowDigest(undefined, r);
}

/** A seal as stored: row count, the rows' digest sum (64 hex digits), the last seq it covers. */
export interface FactSeal {
  readonly epoch: number;
  readonly through: number;
  readonly count: number;
  readonly digest: string;
}

/** The rows a write added and removed, folded into the stored seal by `commit`. */
export class FactSealDelta {
  #sum = 0n;
  #count = 0;
  #through = 0;
  #purged = false;

  add(r: SealedFactRow): void {
    this.#sum = (this.#sum + factRowDigest(r)) & MOD;
    this.#count++;
    if (r[0] > this.#through) this.#through = r[0];
  }

  remove(r: SealedFactRow): void {
    this.#sum = (this.#sum - factRowDigest(r)) & MOD;
    this.#count--;
    this.#purged = true;
  }

  /** Folds the delta into `fact_seal`, inside the caller's transaction. */
  commit(s: FactSealStatements): void {
    if (this.#count === 0 && !this.#purged) return;
    const now = (s.readSeal.get() as FactSeal | undefined) ?? EMPTY;
    // After a purge the seal covers up to the highest seq left: SQLite numbers a new row one
    // past the highest, which may be a purged row's number, and a checkpoint taken now must not
    // come to cover it.
    const through = this.#purged ? (s.maxSeq.get() as number) : Math.max(now.through, this.#through);
    s.writeSeal.run(
      now.epoch + (this.#purged ? 1 : 0),
      through,
      now.count + this.#count,
      hex((BigInt(`0x${now.digest}`) + this.#sum) & MOD),
    );
    this.#sum = 0n;
    this.#count = 0;
    this.#through = 0;
    this.#purged = false;
  }
}

const EMPTY: FactSeal = { epoch: 0, through: 0, count: 0, digest: hex(0n) };

/** The statements a seal is read and written with, prepared once per connection. */
export function prepareFactSealStatements(db: Database.Database) {
  return {
    readSeal: db.prepare('SELECT epoch, through, count, digest FROM fact_seal WHERE id = 1'),
    writeSeal: db.prepare(
      'INSERT OR REPLACE INTO fact_seal (id, epoch, through, count, digest) VALUES (1, ?, ?, ?, ?)',
    ),
    maxSeq: db.prepare('SELECT coalesce(max(seq), 0) FROM facts').pluck(),
  };
}

export type FactSealStatements = ReturnType<typeof prepareFactSealStatements>;

/** The stored seal, or undefined when there is none (a database from before seals, or deleted). */
export function readFactSeal(db: Database.Database): FactSeal | undefined {
  return db.prepare('SELECT epoch, through, count, digest FROM fact_seal WHERE id = 1').get() as
    | FactSeal
    | undefined;
}

/** Seals the rows already stored (the migration that adds `fact_seal`), in the caller's transaction. */
export function backfillFactSeal(db: Database.Database): void {
  const d = new FactSealDelta();
  const rows = db.prepare(`SELECT ${SEALED_FACT_COLUMNS} FROM facts ORDER BY seq`).raw();
  for (const r of rows.iterate()) d.add(r as unknown as SealedFactRow);
  const s = prepareFactSealStatements(db);
  // Written even for an empty table, so a verify tells a sealed empty table from a deleted seal.
  s.writeSeal.run(0, 0, 0, hex(0n));
  d.commit(s);
}

/** What `verifyFactSeal` found: nothing (`ok`), or the first problem, in words, with its place. */
export type FactSealReport =
  | { readonly ok: true; readonly facts: number; readonly seal: FactSeal }
  | { readonly ok: false; readonly facts: number; readonly path: string; readonly reason: string };

/** A checkpoint of the seal kept in the audit chain: the entry and the seal it recorded. */
export interface SealCheckpoint {
  readonly entry: number;
  readonly action: string;
  readonly seal: FactSeal;
}
