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

function open(path: string, readonly: boolean): Database.Database {
  const db = new Database(path, { fileMustExist: true, readonly, nativeBinding: sqliteNativeBinding() });
  db.pragma('busy_timeout = 10000');
  return db;
}

const hasTable = (db: Database.Database, name: string): boolean =>
  db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").pluck().get(name) === 1;

/**
 * The seal over the facts of the database at `path` as it stands, for an audit entry to hold as a
 * checkpoint (`factSeal` in its detail); undefined for a database without seals.
 */
export function factSealOf(path: string): FactSeal | undefined {
  const db = open(path, true);
  try {
    return hasTable(db, 'fact_seal') ? readFactSeal(db) : undefined;
  } finally {
    db.close();
  }
}

/** Notes that audit entry `entry` holds a checkpoint of the seal, so a verify finds it without a scan. */
export function noteFactSealCheckpoint(path: string, entry: number): void {
  const db = open(path, false);
  try {
    if (hasTable(db, 'fact_seal_checkpoints'))
      db.prepare('INSERT OR IGNORE INTO fact_seal_checkpoints (entry) VALUES (?)').run(entry);
  } finally {
    db.close();
  }
}

/** `verifyFactSealOf`'s report: the facts' (`FactSealReport`), and on success the consent rows checked. */
export type FactsReport =
  | (Extract<FactSealReport, { ok: true }> & { readonly consents: number })
  | Extract<FactSealReport, { ok: false }>;

/**
 * Checks the facts of the database at `path` against their seal and against the checkpoints the
 * audit chain holds (run after the chain itself is verified, so the checkpoints can be trusted),
 * then the consent rows against the consent facts (`checkConsents`). Undefined for a database
 * without seals (an older one, before `credence init` upgrades it).
 */
export function verifyFactSealOf(path: string): FactsReport | undefined {
  const db = open(path, true);
  try {
    if (!hasTable(db, 'fact_seal_checkpoints')) return undefined;
    // One read transaction: the rows, the seal and the checkpoints as of one moment.
    return db.transaction((): FactsReport => {
      const facts = verifyFactSeal(db, checkpointsIn(db));
      if (!facts.ok) return facts;
      const consents = checkConsents(db);
      return consents.ok ? { ...facts, consents: consents.consents } : { ...consents, facts: facts.facts };
    })();
  } finally {
    db.close();
  }
}

/** The checkpoints of the seal the audit chain holds, found through `fact_seal_checkpoints`. */
function checkpointsIn(db: Database.Database): SealCheckpoint[] {
  const checkpoints: SealCheckpoint[] = [];
  if (hasTable(db, 'audit_log')) {
    const rows = db
      .prepare(
        `SELECT a.seq AS entry, a.action, json_extract(a.detail, '$.factSeal') AS seal
           FROM fact_seal_checkpoints c JOIN audit_log a ON a.seq = c.entry`,
      )
      .all() as { entry: number; action: string; seal: string | null }[];
    for (const r of rows) {
      const seal = r.seal === null ? undefined : (JSON.parse(r.seal) as Partial<FactSeal>);
      if (isSeal(seal)) checkpoints.push({ entry: r.entry, action: r.action, seal });
    }
  }
  return checkpoints;
}

function isSeal(s: Partial<FactSeal> | undefined): s is FactSeal {
  return (
    s !== undefined &&
    typeof s.epoch === 'number' &&
    typeof s.through === 'number' &&
    typeof s.count === 'number' &&
    typeof s.digest === 'string'
  );
}
