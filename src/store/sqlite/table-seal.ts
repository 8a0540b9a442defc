import type Database from 'better-sqlite3';
import { hex, MOD, rowDigest, type SealedValue } from './row-digest.js';

/**
 * Seals over the derived tables a person's file shows, `ledger` (every point line) and `scores`
 * (the cached score of each person and program): in `table_seals`, each table's row count and
 * the sum, modulo 2^256, of each row's SHA-256, kept by every write of the table in the write's
 * transaction (an upsert takes the row it replaces out first). As with the facts' seal
 * (`fact-seal.ts`), `credence audit verify` recomputes them, so a point or a score edited, deleted
 * or forged in the file is found, where the tables' derivation alone would only be compared with a
 * recomputation that a later rulebook version may legitimately differ from.
 */
export const TABLE_SEAL_MIGRATION = `
  CREATE TABLE table_seals (
    name   TEXT    PRIMARY KEY,
    count  INTEGER NOT NULL,
    digest TEXT    NOT NULL
  ) WITHOUT ROWID;
`;

/** The sealed tables and the columns a row's digest covers, in order. */
export const SEALED_TABLES = {
  ledger: 'subject, program, fact_key, rule_id, at, points, raw, dimension, reason_code',
  scores: 'subject, program, version, as_of, status, score, tier, reason',
  // Which person an ID number, phone or account names: an identifier moved to another person in
  // the file would have a relying party's query about one person answered with another's score.
  identifiers: 'kind, value, subject',
  // Which person each fact is filed under: `facts.subject`, which the facts' own seal leaves out
  // because merges and splits move it (`fact-seal.ts`). A fact moved to another person in the file
  // would show in their file and count in their score. Read from `facts` (`SEALED_FROM`).
  fact_subjects: 'seq, subject',
  // Who may read and write what: a relying party's key raised to operator, a revoked key revived
  // or a token's hash replaced by one the editor knows would pass every request's check.
  api_keys: 'key_id, role, name, hash, scopes, purposes, source, subject, rate, created_at, revoked_at',
  // The persons handed out: a person id deleted from the file would be handed out again, to
  // someone else, by the next count.
  subjects: 'id',
  // The identity engine's own tables (docs/identity.md): which person each record of a
  // representation links to, on what evidence; the reviews waiting for an operator, the
  // operator's merge and split decisions, the engine's state and its pending moves. An edited link
  // files the next fact sent with that representation under another person; an edited decision
  // undoes an operator's split on the next restore.
  identity_records: 'seq, record_id, subject, decision, confidence, matched, body, link, sig',
  identity_reviews: 'record_id, item',
  identity_decisions: 'seq, body',
  identity_state: 'id, body',
  identity_moves: 'seq, from_subject, to_subject',
  // The index a batch reads its candidates by (`identity_keys`: blocking and strong keys of each
  // profile's first record). Derived from the records' bodies, but read in place of them: a key
  // deleted in the file hides a person's records from the next batch, which files their next
  // fact under a new person, and a key forged in puts another person's record among the
  // candidates.
  identity_keys: 'key, seq',
} as const;

export type SealedTable = keyof typeof SEALED_TABLES;

/** The table a sealed set of rows is read from, where it is not the seal's own name. */
export const SEALED_FROM: Readonly<Partial<Record<SealedTable, string>>> = { fact_subjects: 'facts' };

/** The table `table`'s sealed rows are read from. */
export const sealedFrom = (table: SealedTable): string => SEALED_FROM[table] ?? table;

/** The sealed tables `credence rebuild` derives again from the facts (and reseals). */
export const DERIVED_TABLES: readonly SealedTable[] = ['ledger', 'scores'];

/** The migration (its number, from 1) that sealed `identifiers`; a file before it has no such seal. */
export const IDENTIFIERS_SEAL = 6;

/** The migration that sealed `facts.subject` (`fact_subjects`); a file before it has no such seal. */
export const FACT_SUBJECTS_SEAL = 8;

/**
 * The migration that sealed `api_keys`. The API creates that table when it first opens a file, so
 * a file never served has none: its seal is then of no rows, and it is read as empty.
 */
export const API_KEYS_SEAL = 9;

/** The migration that sealed the persons' ids and the identity engine's tables. */
export const IDENTITY_SEAL = 12;

/** The tables `IDENTITY_SEAL` seals. */
export const IDENTITY_TABLES = [
  'subjects',
  'identity_records',
  'identity_reviews',
  'identity_decisions',
  'identity_state',
  'identity_moves',
] as const satisfies readonly SealedTable[];

/** The migration that sealed the identity engine's index keys (`identity_keys`). */
export const IDENTITY_KEYS_SEAL = 14;

/** The migration each sealed table's seal came with, where it came after the seals' own (5). */
const SEALED_SINCE: Readonly<Partial<Record<SealedTable, number>>> = {
  identifiers: IDENTIFIERS_SEAL,
  fact_subjects: FACT_SUBJECTS_SEAL,
  api_keys: API_KEYS_SEAL,
  ...Object.fromEntries(IDENTITY_TABLES.map((t) => [t, IDENTITY_SEAL])),
  identity_keys: IDENTITY_KEYS_SEAL,
};

/** Sealed tables that may be missing from a file (created by another layer on first use). */
const MAY_BE_MISSING: ReadonlySet<SealedTable> = new Set(['api_keys']);
type Value = SealedValue;

/** The statements the seals are kept with, prepared once per connection. */
export function prepareTableSealStatements(db: Database.Database) {
  const p = (sql: string) => db.prepare(sql);
  return {
    read: p('SELECT count, digest FROM table_seals WHERE name = ?'),
    write: p('INSERT OR REPLACE INTO table_seals (name, count, digest) VALUES (?, ?, ?)'),
    ledgerRow: p(
      `SELECT ${SEALED_TABLES.ledger} FROM ledger WHERE subject = ? AND program = ? AND fact_key = ? AND rule_id = ?`,
    ).raw(),
    scoreRow: p(`SELECT ${SEALED_TABLES.scores} FROM scores WHERE subject = ? AND program = ?`).raw(),
  };
}

export type TableSealStatements = ReturnType<typeof prepareTableSealStatements>;

/** What a transaction added to and took from the sealed tables, folded in by `commit`. */
export class TableSealDelta {
  readonly #sum = new Map<SealedTable, bigint>();
  readonly #count = new Map<SealedTable, number>();

  add(table: SealedTable, row: readonly Value[]): void {
    this.#sum.set(table, ((this.#sum.get(table) ?? 0n) + rowDigest(table, row)) & MOD);
    this.#count.set(table, (this.#count.get(table) ?? 0) + 1);
  }

  remove(table: SealedTable, row: readonly Value[]): void {
    this.#sum.set(table, ((this.#sum.get(table) ?? 0n) - rowDigest(table, row)) & MOD);
    this.#count.set(table, (this.#count.get(table) ?? 0) - 1);
  }

  /** Takes out every row a statement returned (`DELETE … RETURNING` the sealed columns, raw). */
  removeAll(table: SealedTable, rows: readonly unknown[]): number {
    for (const r of rows) this.remove(table, r as Value[]);
    return rows.length;
  }

  /** The row a write is about to replace, if there is one, taken out first. */
  replacing(table: SealedTable, old: unknown): void {
    if (old !== undefined) this.remove(table, old as Value[]);
  }

  /** Folds the delta into `table_seals`, inside the caller's transaction. */
  commit(s: TableSealStatements): void {
    for (const [table, sum] of this.#sum) {
      const count = this.#count.get(table) ?? 0;
      if (count === 0 && sum === 0n) continue;
      const now = (s.read.get(table) as { count: number; digest: string } | undefined) ?? {
        count: 0,
        digest: hex(0n),
      };
      s.write.run(table, now.count + count, hex((BigInt(`0x${now.digest}`) + sum) & MOD));
    }
    this.#sum.clear();
    this.#count.clear();
  }
}

/**
 * The seal of `table` recomputed from its rows, or from those a `where` clause picks (a worker's
 * key range, `seal-ranges.ts`; the sums of ranges add up to the table's).
 */
export function sealOfRows(
  db: Database.Database,
  table: SealedTable,
  where = '',
  args: readonly unknown[] = [],
): StoredSeal {
  let sum = 0n;
  let count = 0;
  if (MAY_BE_MISSING.has(table) && !hasTable(db, table)) return { count, digest: hex(sum) };
  const rows = db.prepare(`SELECT ${SEALED_TABLES[table]} FROM ${sealedFrom(table)}${where}`).raw();
  for (const r of rows.iterate(...args) as IterableIterator<Value[]>) {
    sum = (sum + rowDigest(table, r)) & MOD;
    count++;
  }
  return { count, digest: hex(sum) };
}

export const hasTable = (db: Database.Database, name: string): boolean =>
  db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").pluck().get(name) === 1;

/**
 * Rewrites the seals of `tables` from their rows (a migration's backfill, a rebuild's clear of the
 * derived tables), in the caller's transaction.
 */
export function resealTables(db: Database.Database, tables: readonly SealedTable[]): void {
  const s = prepareTableSealStatements(db);
  for (const table of tables) {
    const seal = sealOfRows(db, table);
    s.write.run(table, seal.count, seal.digest);
  }
}

export type TableSealReport =
  | { readonly ok: true; readonly rows: Readonly<Partial<Record<SealedTable, number>>> }
  | { readonly ok: false; readonly path: string; readonly reason: string };

const WHAT: Record<SealedTable, string> = {
  ledger: 'point lines (ledger)',
  scores: 'cached scores',
  identifiers: 'identifiers (the person each ID number, phone or account names)',
  fact_subjects: "facts' persons (the person each fact is filed under)",
  api_keys: 'API keys (who may read and write what)',
  subjects: 'persons (the ids handed out)',
  identity_records: 'identity records (the person each representation links to, and why)',
  identity_reviews: 'identity reviews (the links waiting for an operator)',
  identity_decisions: "identity decisions (the operator's merges and splits)",
  identity_state: "the identity engine's state",
  identity_moves: "the identity engine's pending moves",
  identity_keys: 'identity index keys (which stored records a new one is compared with)',
};

/** Where a table's problem is named: `fact_subjects` is a column of `facts`. */
const PLACE: Readonly<Partial<Record<SealedTable, string>>> = { fact_subjects: 'facts.subject' };

/**
 * The tables a file's schema seals: all of them, but each later one only from the migration that
 * sealed it (a file not yet upgraded by `credence init` has no seal over it to check).
 */
export function sealedTablesOf(db: Database.Database): SealedTable[] {
  const version = db.pragma('user_version', { simple: true }) as number;
  return (Object.keys(SEALED_TABLES) as SealedTable[]).filter((t) => version >= (SEALED_SINCE[t] ?? 0));
}

export type StoredSeals = Partial<Record<SealedTable, StoredSeal | null>>;

/** The stored seals of `tables` (null for one missing from the file). */
export function readTableSeals(db: Database.Database, tables: readonly SealedTable[]): StoredSeals {
  const read = db.prepare('SELECT count, digest FROM table_seals WHERE name = ?');
  const out: StoredSeals = {};
  for (const t of tables) out[t] = (read.get(t) as StoredSeal | undefined) ?? null;
  return out;
}

export interface StoredSeal {
  readonly count: number;
  readonly digest: string;
}

/** Compares each table's seal recomputed from its rows (`now`) with the stored one, in `stored`'s order. */
export function judgeTableSeals(
  stored: StoredSeals,
  now: Partial<Record<SealedTable, StoredSeal>>,
): TableSealReport {
  const rows: Partial<Record<SealedTable, number>> = {};
  for (const table of Object.keys(stored) as SealedTable[]) {
    const seal = stored[table];
    if (!seal) {
      return {
        ok: false,
        path: 'table_seals',
        reason: `the seal over the ${WHAT[table]} is missing (deleted from the file)`,
      };
    }
    const n = now[table] ?? NONE;
    if (n.count !== seal.count || n.digest !== seal.digest) {
      return {
        ok: false,
        path: PLACE[table] ?? table,
        reason: `the ${WHAT[table]} no longer match their seal (${n.count} rows, ${seal.count} sealed): a row was changed, removed or added outside Credence`,
      };
    }
    rows[table] = n.count;
  }
  return { ok: true, rows };
}

/** Recomputes each sealed table's seal from its rows, on this thread, and compares it with the stored one. */
export function verifyTableSeals(db: Database.Database): TableSealReport {
  const stored = readTableSeals(db, sealedTablesOf(db));
  // A table whose seal is missing is named as such, its rows not read.
  const now: Partial<Record<SealedTable, StoredSeal>> = {};
  for (const t of Object.keys(stored) as SealedTable[]) if (stored[t]) now[t] = sealOfRows(db, t);
  return judgeTableSeals(stored, now);
}

const NONE: StoredSeal = { count: 0, digest: hex(0n) };
