import type Database from 'better-sqlite3';
import { hex, MOD, rowDigest, type SealedValue } from './row-digest.js';

/**
 * The seal over `programs`, the rulebook versions scoring runs on: their count and the sum, modulo
 * 2^256, of each row's SHA-256, in `program_seal`, rewritten whole in the transaction of every
 * version stored (the table holds a few rows per program). `credence audit verify` recomputes it,
 * so a rulebook's YAML, its stored spec (what a database compiles its programs from), its
 * effective date or a version edited, added or removed outside Credence is found. Each
 * `program.load` entry of the audit chain also holds it (`programSeal`), so an edit that forged
 * the seal too fails against the chain while no version was added after that entry.
 */
export const PROGRAM_SEAL_MIGRATION = `
  CREATE TABLE program_seal (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    count  INTEGER NOT NULL,
    digest TEXT    NOT NULL
  );
`;

/** The count and digest sum of the rulebook versions stored now. */
export interface ProgramSeal {
  readonly count: number;
  readonly digest: string;
}

/** Computes the seal from the rows. */
export function programSealOfRows(db: Database.Database): ProgramSeal {
  let sum = 0n;
  let count = 0;
  const rows = db
    .prepare('SELECT program, version, name, yaml, spec, effective_from, loaded_at FROM programs')
    .raw()
    .all() as SealedValue[][];
  for (const r of rows) {
    sum = (sum + rowDigest(undefined, r)) & MOD;
    count++;
  }
  return { count, digest: hex(sum) };
}

/** Rewrites the stored seal from the rows, inside the caller's transaction. */
export function resealPrograms(db: Database.Database): void {
  const s = programSealOfRows(db);
  db.prepare('INSERT OR REPLACE INTO program_seal (id, count, digest) VALUES (1, ?, ?)').run(
    s.count,
    s.digest,
  );
}

/** The stored seal, or undefined when there is none. */
export function readProgramSeal(db: Database.Database): ProgramSeal | undefined {
  return db.prepare('SELECT count, digest FROM program_seal WHERE id = 1').get() as ProgramSeal | undefined;
}

export type ProgramSealReport =
  | { readonly ok: true; readonly versions: number }
  | { readonly ok: false; readonly path: string; readonly reason: string };

/**
 * Compares the rows with the stored seal, and with the last checkpoint the chain holds when no
 * version was stored after it (the table has no order of arrival to cut an older one at).
 */
export function verifyProgramSeal(
  db: Database.Database,
  last: { readonly entry: number; readonly seal: ProgramSeal } | undefined,
): ProgramSealReport {
  const now = programSealOfRows(db);
  const stored = readProgramSeal(db);
  if (!stored)
    return {
      ok: false,
      path: 'program_seal',
      reason: 'the seal over the rulebooks is missing (deleted from the file)',
    };
  if (last && last.seal.count === now.count && last.seal.digest !== now.digest) {
    return {
      ok: false,
      path: `audit_log[seq=${last.entry}]`,
      reason: `entry ${last.entry} (program.load) sealed the ${last.seal.count} rulebook versions stored then; the versions stored now do not match it: a rulebook was changed outside Credence`,
    };
  }
  if (stored.count !== now.count || stored.digest !== now.digest) {
    return {
      ok: false,
      path: 'programs',
      reason: `the rulebook versions no longer match their seal (${now.count} stored, ${stored.count} sealed): a rulebook was changed, removed or added outside Credence`,
    };
  }
  return { ok: true, versions: now.count };
}
