import type Database from 'better-sqlite3';
import { prepareFactSealStatements } from './fact-seal.js';
import { prepareTableSealStatements, SEALED_TABLES } from './table-seal.js';

/** Every statement the adapter runs, prepared once per connection. */
export function prepareStatements(db: Database.Database) {
  const p = (sql: string) => db.prepare(sql);
  const factCols = 'source, id, subject, type, at, body, received_at AS receivedAt';
  return {
    seal: prepareFactSealStatements(db),
    tableSeal: prepareTableSealStatements(db),
    maxVersion: p('SELECT max(version) AS v FROM programs WHERE program = ?'),
    insertRulebook: p(
      'INSERT INTO programs (program, version, name, yaml, spec, effective_from, loaded_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    latestRulebooks: p(
      `SELECT p.* FROM programs p
       WHERE p.version = (SELECT max(version) FROM programs q WHERE q.program = p.program)
       ORDER BY p.program`,
    ),
    allRulebooks: p('SELECT * FROM programs ORDER BY program, version'),
    rulebookVersions: p('SELECT * FROM programs WHERE program = ? ORDER BY version'),
    findFact: p(
      `SELECT subject, type, at, hash, body, retracts,
              EXISTS (SELECT 1 FROM facts r WHERE r.source = f.source AND r.retracts = f.id) AS retracted
       FROM facts f WHERE source = ? AND id = ?`,
    ),
    findIdentifier: p('SELECT subject FROM identifiers WHERE kind = ? AND value = ?'),
    identifiersByValue: p('SELECT kind, subject FROM identifiers WHERE value = ?'),
    identifiersOf: p('SELECT kind, value FROM identifiers WHERE subject = ? ORDER BY kind, value'),
    subjectExists: p('SELECT 1 FROM subjects WHERE id = ?').pluck(),
    countSubjects: p('SELECT count(*) AS n FROM subjects'),
    subjectsPage: p('SELECT id FROM subjects WHERE id > ? ORDER BY id LIMIT ?'),
    personFacts: p(
      `SELECT ${factCols} FROM facts f
       WHERE subject = ? AND retracts IS NULL
         AND NOT EXISTS (SELECT 1 FROM facts r WHERE r.source = f.source AND r.retracts = f.id)
       ORDER BY at, source, id`,
    ),
    retractedFactsOf: p(
      `SELECT ${factCols} FROM facts f
       WHERE subject = ? AND retracts IS NULL
         AND EXISTS (SELECT 1 FROM facts r WHERE r.source = f.source AND r.retracts = f.id)
       ORDER BY at, source, id`,
    ),
    retractionsOf: p(
      `SELECT source, id, retracts, at, received_at AS receivedAt, body FROM facts
       WHERE subject = ? AND retracts IS NOT NULL ORDER BY at, source, id`,
    ),
    personConsents: p(
      `SELECT subject, program, action, at, fact_key AS factKey FROM consents
       WHERE subject = ? ORDER BY program, at, fact_key`,
    ),
    consentSubjects: p('SELECT DISTINCT subject FROM consents'),
    insertSubject: p('INSERT OR IGNORE INTO subjects (id) VALUES (?)'),
    insertIdentifier: p('INSERT OR IGNORE INTO identifiers (kind, value, subject) VALUES (?, ?, ?)'),
    insertFact: p(
      `INSERT INTO facts (source, id, subject, type, at, body, hash, retracts, received_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (source, id) DO NOTHING`,
    ),
    insertConsent: p(
      'INSERT OR REPLACE INTO consents (subject, program, action, at, fact_key) VALUES (?, ?, ?, ?, ?)',
    ),
    deleteConsent: p('DELETE FROM consents WHERE fact_key = ?'),
    latestConsent: p(
      'SELECT action FROM consents WHERE subject = ? AND program = ? ORDER BY at DESC, fact_key DESC LIMIT 1',
    ).pluck(),
    // Deletes return the rows they delete, to be taken out of the tables' seals (`table-seal.ts`).
    clearLedger: p(
      `DELETE FROM ledger WHERE subject = ? AND program = ? RETURNING ${SEALED_TABLES.ledger}`,
    ).raw(),
    deleteScore: p(
      `DELETE FROM scores WHERE subject = ? AND program = ? RETURNING ${SEALED_TABLES.scores}`,
    ).raw(),
    deleteLedger: p(
      `DELETE FROM ledger WHERE subject = ? AND program = ? AND fact_key = ? AND rule_id = ? RETURNING ${SEALED_TABLES.ledger}`,
    ).raw(),
    upsertLedger: p(
      `INSERT OR REPLACE INTO ledger (subject, program, fact_key, rule_id, at, points, raw, dimension, reason_code)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    upsertScore: p(
      `INSERT OR REPLACE INTO scores (subject, program, version, as_of, status, score, tier, reason)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    clearProgramLedger: p('DELETE FROM ledger WHERE program = ?'),
    clearProgramScores: p('DELETE FROM scores WHERE program = ?'),
    clearProgramConsents: p('DELETE FROM consents WHERE program = ?'),
    ledgerOf: p('SELECT * FROM ledger WHERE subject = ? AND program = ? ORDER BY at, fact_key, rule_id'),
    personLedger: p('SELECT * FROM ledger WHERE subject = ? ORDER BY program, at, fact_key, rule_id'),
    scoresOf: p('SELECT * FROM scores WHERE subject = ? ORDER BY program'),
    scoresOfProgram: p('SELECT * FROM scores WHERE program = ? ORDER BY subject'),
  };
}

export type Statements = ReturnType<typeof prepareStatements>;
