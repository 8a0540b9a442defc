import Database from 'better-sqlite3';
import { checkConsents } from './consent-check.js';
import {
  type FactSeal,
  type FactSealReport,
  readFactSeal,
  type SealCheckpoint,
  verifyFactSeal,
} from './fact-seal.js';
import { sqliteNativeBinding } from './native-binding.js';
import { type ProgramSeal, readProgramSeal, verifyProgramSeal } from './program-seal.js';
import { type SealedTable, verifyTableSeals } from './table-seal.js';

function open(path: string, readonly: boolean): Database.Database {
  const db = new Database(path, { fileMustExist: true, readonly, nativeBinding: sqliteNativeBinding() });
  db.pragma('busy_timeout = 10000');
  return db;
}

const hasTable = (db: Database.Database, name: string): boolean =>
  db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").pluck().get(name) === 1;

/** The seals an audit entry holds as checkpoints, in its detail under these names. */
export interface Seals {
  readonly factSeal?: FactSeal;
  readonly programSeal?: ProgramSeal;
}

/**
 * The seals of the database at `path` as it stands, for an audit entry to hold as checkpoints:
 * the facts' for `facts.*` actions (ingest, import, purge), the rulebooks' for `program.*`; none
 * for other actions, or for a database without seals.
 */
export function sealsFor(path: string, action: string): Seals {
  const facts = action.startsWith('facts.');
  const programs = action.startsWith('program.');
  if (!facts && !programs) return {};
  const db = open(path, true);
  try {
    if (!hasTable(db, 'seal_checkpoints')) return {};
    const factSeal = facts ? readFactSeal(db) : undefined;
    const programSeal = programs ? readProgramSeal(db) : undefined;
    return { ...(factSeal ? { factSeal } : {}), ...(programSeal ? { programSeal } : {}) };
  } finally {
    db.close();
  }
}

/** Notes that audit entry `entry` holds a checkpoint of a seal, so a verify finds it without a scan. */
export function noteSealCheckpoint(path: string, entry: number): void {
  const db = open(path, false);
  try {
    if (hasTable(db, 'seal_checkpoints'))
      db.prepare('INSERT OR IGNORE INTO seal_checkpoints (entry) VALUES (?)').run(entry);
  } finally {
    db.close();
  }
}

/** `verifySealsOf`'s report: on success what was checked, else the first problem and its place. */
export type SealsReport =
  | (Extract<FactSealReport, { ok: true }> & {
      readonly consents: number;
      readonly rulebooks: number;
      /** Rows of the sealed derived tables (ledger, cached scores). */
      readonly derived: Readonly<Record<SealedTable, number>>;
    })
  | (Extract<FactSealReport, { ok: false }> & { readonly facts?: number });

/**
 * Checks the database at `path` beyond its audit log (run after the chain itself is verified, so
 * the checkpoints it holds can be trusted): the facts against their seal and the checkpoints
 * (`verifyFactSeal`), the consent rows against the consent facts (`checkConsents`), the rulebook
 * versions against theirs (`verifyProgramSeal`). Undefined for a database without seals (an older
 * one, before `credence init` upgrades it).
 */
export function verifySealsOf(path: string): SealsReport | undefined {
  const db = open(path, true);
  try {
    if (!hasTable(db, 'seal_checkpoints')) return undefined;
    // One read transaction: the rows, the seals and the checkpoints as of one moment.
    return db.transaction((): SealsReport => {
      const checkpoints = checkpointsIn(db);
      const facts = verifyFactSeal(db, checkpoints.facts);
      if (!facts.ok) return facts;
      const consents = checkConsents(db);
      if (!consents.ok) return { ...consents, facts: facts.facts };
      const programs = verifyProgramSeal(db, checkpoints.programs);
      if (!programs.ok) return { ...programs, facts: facts.facts };
      const tables = verifyTableSeals(db);
      if (!tables.ok) return { ...tables, facts: facts.facts };
      return { ...facts, consents: consents.consents, rulebooks: programs.versions, derived: tables.rows };
    })();
  } finally {
    db.close();
  }
}

/**
 * The checkpoints the audit chain holds, found through `seal_checkpoints`: every one of the facts'
 * seal, and the last one of the rulebooks'.
 */
function checkpointsIn(db: Database.Database): {
  facts: SealCheckpoint[];
  programs: { entry: number; seal: ProgramSeal } | undefined;
} {
  const facts: SealCheckpoint[] = [];
  let programs: { entry: number; seal: ProgramSeal } | undefined;
  if (!hasTable(db, 'audit_log')) return { facts, programs };
  const rows = db
    .prepare(
      `SELECT a.seq AS entry, a.action, json_extract(a.detail, '$.factSeal') AS fact,
              json_extract(a.detail, '$.programSeal') AS program
       FROM seal_checkpoints c JOIN audit_log a ON a.seq = c.entry ORDER BY a.seq`,
    )
    .all() as { entry: number; action: string; fact: string | null; program: string | null }[];
  for (const r of rows) {
    const fact = r.fact === null ? undefined : (JSON.parse(r.fact) as Partial<FactSeal>);
    if (isFactSeal(fact)) facts.push({ entry: r.entry, action: r.action, seal: fact });
    const program = r.program === null ? undefined : (JSON.parse(r.program) as Partial<ProgramSeal>);
    if (typeof program?.count === 'number' && typeof program.digest === 'string')
      programs = { entry: r.entry, seal: program as ProgramSeal };
  }
  return { facts, programs };
}

function isFactSeal(s: Partial<FactSeal> | undefined): s is FactSeal {
  return (
    s !== undefined &&
    typeof s.epoch === 'number' &&
    typeof s.through === 'number' &&
    typeof s.count === 'number' &&
    typeof s.digest === 'string'
  );
}
