import type Database from 'better-sqlite3';
import { CredenceError } from '../../core/errors/index.js';
import { FACT_SEAL_MIGRATION } from './fact-seal.js';
import { PROGRAM_SEAL_MIGRATION } from './program-seal.js';
import {
  IDENTITY_KEYS_MIGRATION,
  IDENTITY_MERGES_MIGRATION,
  IDENTITY_MIGRATION,
  IDENTITY_REINDEX_MIGRATION,
} from './sqlite-identity.js';
import { TABLE_SEAL_MIGRATION } from './table-seal.js';

/**
 * Schema migrations, applied in order; `PRAGMA user_version` holds the number applied.
 * Append new migrations; never edit one that has shipped.
 *
 * Layout: `facts` is append-only (a retraction is its own row naming what it retracts,
 * so nothing is updated in place); `ledger`, `consents` and `scores` are derived and
 * rebuilt from facts by `credence rebuild`.
 */
export const migrations: readonly string[] = [
  `
  CREATE TABLE programs (
    program        TEXT    NOT NULL,
    version        INTEGER NOT NULL,
    name           TEXT    NOT NULL,
    yaml           TEXT    NOT NULL,
    effective_from INTEGER NOT NULL,
    loaded_at      INTEGER NOT NULL,
    PRIMARY KEY (program, version)
  ) WITHOUT ROWID;

  CREATE TABLE subjects (
    id TEXT PRIMARY KEY
  ) WITHOUT ROWID;

  CREATE TABLE identifiers (
    kind    TEXT NOT NULL,
    value   TEXT NOT NULL,
    subject TEXT NOT NULL,
    PRIMARY KEY (kind, value)
  ) WITHOUT ROWID;
  CREATE INDEX identifiers_value ON identifiers (value);
  CREATE INDEX identifiers_subject ON identifiers (subject);

  CREATE TABLE facts (
    seq         INTEGER PRIMARY KEY,
    source      TEXT    NOT NULL,
    id          TEXT    NOT NULL,
    subject     TEXT    NOT NULL,
    type        TEXT,
    at          INTEGER NOT NULL,
    body        TEXT    NOT NULL,
    hash        TEXT    NOT NULL,
    retracts    TEXT,
    received_at INTEGER NOT NULL,
    UNIQUE (source, id)
  );
  CREATE INDEX facts_subject ON facts (subject, at);
  CREATE INDEX facts_retracts ON facts (source, retracts) WHERE retracts IS NOT NULL;

  CREATE TABLE consents (
    subject  TEXT    NOT NULL,
    program  TEXT    NOT NULL,
    action   TEXT    NOT NULL CHECK (action IN ('opt-in', 'opt-out')),
    at       INTEGER NOT NULL,
    fact_key TEXT    NOT NULL,
    PRIMARY KEY (subject, program, fact_key)
  ) WITHOUT ROWID;

  CREATE TABLE ledger (
    subject     TEXT    NOT NULL,
    program     TEXT    NOT NULL,
    fact_key    TEXT    NOT NULL,
    rule_id     TEXT    NOT NULL,
    at          INTEGER NOT NULL,
    points      REAL    NOT NULL,
    raw         REAL    NOT NULL,
    dimension   TEXT,
    reason_code TEXT    NOT NULL,
    PRIMARY KEY (subject, program, fact_key, rule_id)
  ) WITHOUT ROWID;

  CREATE TABLE scores (
    subject TEXT    NOT NULL,
    program TEXT    NOT NULL,
    version INTEGER NOT NULL,
    as_of   INTEGER NOT NULL,
    status  TEXT    NOT NULL,
    score   INTEGER,
    tier    TEXT,
    reason  TEXT,
    PRIMARY KEY (subject, program)
  ) WITHOUT ROWID;
  CREATE INDEX scores_program ON scores (program);
  `,
  // 2: identity resolution's records, links, reviews and history.
  IDENTITY_MIGRATION,
  // 3: each rulebook version's parsed spec as JSON beside its YAML, so opening a database compiles
  // its programs without parsing YAML (most of `credence score`'s start-up). Rows stored before
  // are filled in the same transaction by `backfillRulebookSpecs`.
  'ALTER TABLE programs ADD COLUMN spec TEXT;',
  // 4: identity records indexed by profile signature and by blocking and strong keys, so a small
  // batch restores only its candidates (docs/identity.md, "Scale"). Rows stored before are filled
  // in the same transaction by `backfillIdentityKeys`.
  IDENTITY_KEYS_MIGRATION,
  // 5: the seals over `facts`, `programs`, `ledger` and `scores` (count and digest sum,
  // `fact-seal.ts`, `program-seal.ts`, `table-seal.ts`) that `credence audit verify` checks the
  // rows against. Rows stored before are sealed in the same transaction (`backfillFactSeal`,
  // `resealPrograms`, `resealTables`).
  FACT_SEAL_MIGRATION + PROGRAM_SEAL_MIGRATION + TABLE_SEAL_MIGRATION,
  // 6: a seal over `identifiers` too, in `table_seals` (no new table): the rows stored before are
  // sealed in the same transaction (`resealTables`).
  'SELECT 1;',
  // 7: `identity_keys` and `identity_records.sig` derived again from the stored records, by the
  // current normalisation (15-digit resident IDs upgraded, passport countries as three letters,
  // full-width digits folded), in the same transaction (`backfillIdentityKeys`), and the strong
  // keys of the operator state spelled as now (`rekeyIdentityState`).
  IDENTITY_REINDEX_MIGRATION,
  // 8: a seal over the person each fact is filed under (`facts.subject`, `fact_subjects` in
  // `table_seals`), kept by every write, merges' and splits' moves included: the rows stored before
  // are sealed in the same transaction (`resealTables`).
  'SELECT 1;',
  // 9: a seal over `api_keys` (created by the API on first use; a file with none has a seal of no
  // rows), kept by every issue and revocation: the keys stored before are sealed in the same
  // transaction (`resealTables`).
  'SELECT 1;',
  // 10: every identifier spelled as the current build spells it (`respellIdentifiers`): a row
  // stored in an older spelling was not found by a query in the new one.
  'SELECT 1;',
  // 11: the same again for phones, now kept in E.164 when valid (`0086 189-0893-0091` and
  // `18908930091` were two rows, two people), and passports, now keyed `COUNTRY:NUMBER` when their
  // holder's records sent the country (`respellIdentifiers`, with the records read for it).
  'SELECT 1;',
  // 12: seals over the persons' ids and the identity engine's tables (records, reviews, decisions,
  // state, pending moves; `IDENTITY_TABLES`), kept by every write: the rows stored before are
  // sealed in the same transaction (`resealTables`).
  'SELECT 1;',
  // 13: the identity history's merges indexed by the person absorbed, so a page of the review
  // queue follows the ids it names without reading every decision.
  IDENTITY_MERGES_MIGRATION,
  // 14: a seal over the identity engine's index keys (`identity_keys`), kept by every write: the
  // rows stored before are sealed in the same transaction (`resealTables`).
  'SELECT 1;',
];

/** The migration that spells every stored identifier as the current build does. */
export const IDENTIFIERS_RESPELLED = 10;

/**
 * The migration that spells them again: phones in E.164, passports by country. A file older than
 * 10 is spelled once, here (the spelling is the current build's either way).
 */
export const PHONES_RESPELLED = 11;

/** The migration (its number, from 1) that added `fact_seal` and `program_seal`. */
export const FACT_SEAL = 5;

/** The migration (its number, from 1) that added `identity_keys`. */
export const IDENTITY_KEYS = 4;

/** The migration (its number, from 1) that derives `identity_keys` and `sig` again. */
export const IDENTITY_REINDEX = 7;

/** The migration (its number, from 1) that added `programs.spec`. */
export const SPEC_MIGRATION = 3;

/**
 * The refusal of a file whose schema (`user_version`) is past the migrations known here: it was
 * made by a newer Credence, and whatever that added (tables, columns, seals) this one would leave
 * unmaintained, or, verifying, unchecked. Undefined for a schema this Credence knows.
 */
export function newerSchema(path: string, schema: number): CredenceError | undefined {
  if (schema <= migrations.length) return undefined;
  return new CredenceError(
    'CREDENCE_E_DB',
    `database ${path} was made by a newer Credence (schema ${schema}; this one knows up to ${migrations.length}): use that version or a later one; nothing was read or written`,
    { file: path },
  );
}

/**
 * Fills `programs.spec` for the rulebook versions stored before migration 3. `specJson` is the
 * core's `rulebookSpecJson`, passed in so this file (loaded by every command) loads no YAML parser.
 */
export function backfillRulebookSpecs(
  db: Database.Database,
  specJson: (yaml: string) => string | null,
): void {
  const rows = db.prepare('SELECT program, version, yaml FROM programs WHERE spec IS NULL').all() as {
    program: string;
    version: number;
    yaml: string;
  }[];
  const set = db.prepare('UPDATE programs SET spec = ? WHERE program = ? AND version = ?');
  for (const r of rows) set.run(specJson(r.yaml), r.program, r.version);
}
