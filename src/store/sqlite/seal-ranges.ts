import type Database from 'better-sqlite3';
import { bodyDigest } from '../fact-digest.js';
import { factRowDigest, SEALED_FACT_COLUMNS, type SealedFactRow } from './fact-seal.js';
import { hex, MOD } from './row-digest.js';
import { type SealedTable, sealOfRows } from './table-seal.js';

/**
 * One part of a seal's recomputation: the rows of a sealed table in a key range, left end open,
 * right end closed (`after < key <= upTo`; an end left out is unbounded). The facts are split by
 * `seq`, the other tables on their keys (`SPLIT_KEY`), so each part is one range scan, and parts run on worker threads (`seal-verify-worker.ts`) add up to the whole.
 */
export type SealTask =
  | {
      readonly kind: 'facts';
      readonly after?: number;
      readonly upTo?: number;
      /** Seqs to report the running sum at (the checkpoints' `through`s in this range), ascending. */
      readonly points: readonly number[];
    }
  | {
      readonly kind: 'table';
      readonly table: SealedTable;
      /** Bounds on the table's `SPLIT_KEY` columns, one value per column. */
      readonly after?: readonly KeyValue[];
      readonly upTo?: readonly KeyValue[];
      /** No rows for this worker (the table is read whole by another). */
      readonly none?: true;
    };

/**
 * The columns each derived table is split on: a prefix of its primary key, so each part is a
 * range of the key's own B-tree. (Split by subject, `identifiers` went through its subject index
 * and looked every row up by key, which cost more than the second thread saved.)
 */
export const SPLIT_KEY: Readonly<Record<SealedTable, readonly string[]>> = {
  ledger: ['subject'],
  scores: ['subject'],
  identifiers: ['kind', 'value'],
  fact_subjects: ['seq'],
  api_keys: ['key_id'],
  subjects: ['id'],
  identity_records: ['seq'],
  identity_reviews: ['record_id'],
  identity_decisions: ['seq'],
  identity_state: ['id'],
  identity_moves: ['seq'],
  identity_keys: ['key'],
};

/** A value of a split key: text, or a seq. */
export type KeyValue = string | number;

/** A range's row count and digest sum (64 hex digits: sums cross threads as text). */
export interface RangeSum {
  readonly count: number;
  readonly digest: string;
}

/** What a facts range holds: its sum, the running sums at the points asked for, a body edited. */
export interface FactRangeSum extends RangeSum {
  /** The sum of the range's rows up to each point (`seq <= through`), before any edited body. */
  readonly prefixes: readonly (RangeSum & { readonly through: number })[];
  /**
   * The first row whose body no longer matches its stored digest: the scan stops there, so the
   * sums cover the rows before it only.
   */
  readonly bodyEdited?: { readonly seq: number; readonly source: string; readonly id: string };
}

export type SealTaskResult = FactRangeSum | RangeSum;

function range<K>(
  columns: readonly string[],
  after: readonly K[] | undefined,
  upTo: readonly K[] | undefined,
): { where: string; args: K[] } {
  const where: string[] = [];
  const args: K[] = [];
  // A row value: (kind, value) > (?, ?) compares as the key orders its rows.
  const key = `(${columns.join(', ')})`;
  const marks = `(${columns.map(() => '?').join(', ')})`;
  if (after !== undefined) {
    where.push(`${key} > ${marks}`);
    args.push(...after);
  }
  if (upTo !== undefined) {
    where.push(`${key} <= ${marks}`);
    args.push(...upTo);
  }
  return { where: where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '', args };
}

/** Sums the facts of one seq range, checking each body against its digest on the way. */
export function sumFacts(
  db: Database.Database,
  after: number | undefined,
  upTo: number | undefined,
  points: readonly number[],
): FactRangeSum {
  const { where, args } = range(
    ['seq'],
    after === undefined ? undefined : [after],
    upTo === undefined ? undefined : [upTo],
  );
  const rows = db.prepare(`SELECT ${SEALED_FACT_COLUMNS}, body FROM facts${where} ORDER BY seq`).raw();
  const prefixes: (RangeSum & { through: number })[] = [];
  let next = 0;
  let sum = 0n;
  let count = 0;
  for (const r of rows.iterate(...args) as IterableIterator<[...SealedFactRow, string]>) {
    const seq = r[0];
    while (next < points.length && (points[next] as number) < seq)
      prefixes.push({ through: points[next++] as number, count, digest: hex(sum) });
    if (bodyDigest(r[8]) !== r[5]) {
      return { count, digest: hex(sum), prefixes, bodyEdited: { seq, source: r[1], id: r[2] } };
    }
    sum = (sum + factRowDigest(r.slice(0, 8) as unknown as SealedFactRow)) & MOD;
    count++;
  }
  while (next < points.length) prefixes.push({ through: points[next++] as number, count, digest: hex(sum) });
  return { count, digest: hex(sum), prefixes };
}

/** Sums the rows of a sealed derived table in one subject range. */
export function sumTable(
  db: Database.Database,
  table: SealedTable,
  after: readonly KeyValue[] | undefined,
  upTo: readonly KeyValue[] | undefined,
): RangeSum {
  const { where, args } = range(SPLIT_KEY[table], after, upTo);
  return sealOfRows(db, table, where, args);
}

export function runSealTask(db: Database.Database, t: SealTask): SealTaskResult {
  if (t.kind === 'facts') return sumFacts(db, t.after, t.upTo, t.points);
  return t.none ? { count: 0, digest: hex(0n) } : sumTable(db, t.table, t.after, t.upTo);
}

/** The sum of several ranges' digests, modulo 2^256. */
export function addDigests(digests: Iterable<string>): bigint {
  let sum = 0n;
  for (const d of digests) sum = (sum + BigInt(`0x${d}`)) & MOD;
  return sum;
}
