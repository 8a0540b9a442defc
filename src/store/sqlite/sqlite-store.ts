import { existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { CredenceError } from '../../core/errors/index.js';
import type {
  CommitBatch,
  CommitReceipt,
  ConsentRow,
  FactRef,
  Identifier,
  IdentityCandidatesQuery,
  KnownFact,
  LedgerRow,
  NewRulebook,
  PersonFile,
  ScoreRow,
  Store,
  StoreCounts,
  StoredFact,
  StoredIdentity,
  StoredIdentityRecord,
  StoredRetraction,
  StoredRulebook,
  StreamedIdentity,
} from '../store.js';
import { BatchRecorder } from './batch-record.js';
import { backfillFactSeal } from './fact-seal.js';
import { identifierSpeller, respellIdentifiers } from './identifier-respell.js';
import { sqliteNativeBinding } from './native-binding.js';
import { resealPrograms } from './program-seal.js';
import { applyCommitBatch } from './sqlite-commit.js';
import {
  backfillIdentityKeys,
  type IdentityStatements,
  identityIndexStatus,
  identityRecord,
  identityRecordsOf,
  prepareIdentityStatements,
  type RecordKeysOf,
  readIdentity,
  readIdentityCandidates,
  rekeyIdentityState,
  streamIdentity,
} from './sqlite-identity.js';
import {
  backfillRulebookSpecs,
  FACT_SEAL,
  IDENTITY_KEYS,
  IDENTITY_REINDEX,
  migrations,
  newerSchema,
  PHONES_RESPELLED,
  SPEC_MIGRATION,
} from './sqlite-migrations.js';
import { prepareStatements, type Statements } from './sqlite-statements.js';
import {
  API_KEYS_SEAL,
  DERIVED_TABLES,
  FACT_SUBJECTS_SEAL,
  IDENTIFIERS_SEAL,
  IDENTITY_KEYS_SEAL,
  IDENTITY_SEAL,
  IDENTITY_TABLES,
  prepareTableSealStatements,
  resealTables,
} from './table-seal.js';

export interface SqliteStoreOptions {
  /** Create the file when missing (only `credence init` and tests do). */
  readonly create?: boolean;
  readonly readonly?: boolean;
  /**
   * SQL run first and last in each `commit` transaction: how a server marks the batches it writes
   * as its own, so the triggers that note writes by everyone else skip them
   * (`src/api/sqlite/foreign-writes.ts`).
   */
  readonly commitFrame?: CommitFrame;
}

/** Statements wrapped around each `commit` batch, inside its transaction. */
export interface CommitFrame {
  readonly begin: string;
  readonly end: string;
}

interface ScoreDbRow {
  subject: string;
  program: string;
  version: number;
  as_of: number;
  status: 'scored' | 'not-scored';
  score: number | null;
  tier: string | null;
  reason: string | null;
}

interface LedgerDbRow {
  subject: string;
  program: string;
  fact_key: string;
  rule_id: string;
  at: number;
  points: number;
  raw: number;
  dimension: string | null;
  reason_code: string;
}

/** A row of `programs`, as SQLite gives it. */
export interface RulebookDbRow {
  program: string;
  version: number;
  name: string;
  yaml: string;
  spec: string | null;
  effective_from: number;
  loaded_at: number;
}

// The spec column is the core's YAML parse in JSON; the parser is loaded only by the commands
// that write a rulebook or migrate, never by a command that just reads.
// Only a database from before migration 7 needs the identity engine's normaliser to open.
const recordKeysOf = async (): Promise<RecordKeysOf> => {
  const { RecordIndexer } = await import('../../identity/index-keys.js');
  const indexer = new RecordIndexer();
  return (body) => indexer.keysOf(JSON.parse(body));
};

const strongKeyNow = async (): Promise<(key: string) => string> =>
  (await import('../../identity/index-keys.js')).strongKeyNow;

const rulebookSpecJson = async (): Promise<(yaml: string) => string | null> =>
  (await import('../../core/rulebook/spec-json.js')).rulebookSpecJson;

/**
 * Why SQLite could not open `path`, in the user's terms: a directory given as `--db`, a missing
 * parent directory, no file yet (run `credence init`), or SQLite's own reason.
 */
function openFailure(path: string, create: boolean, reason: string): string {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (stat?.isDirectory()) return `cannot open database ${path}: it is a directory, not a database file`;
  if (create) {
    const parent = dirname(path);
    if (!existsSync(parent)) return `cannot create database ${path}: the directory ${parent} does not exist`;
    return `cannot create database ${path}: ${reason}`;
  }
  if (stat) return `cannot open database ${path}: ${reason}`;
  return `no database at ${path} (run \`credence init --db ${path}\` first)`;
}

/**
 * Opens (or with `create`, creates) a SQLite store: WAL journal, synchronous=NORMAL,
 * prepared statements, one transaction per commit.
 *
 * @example
 * const store = await openSqliteStore('./credence.db', { create: true });
 * await store.migrate();
 */
export async function openSqliteStore(path: string, opts: SqliteStoreOptions = {}): Promise<SqliteStore> {
  let db: Database.Database;
  try {
    db = new Database(path, {
      fileMustExist: !opts.create && path !== ':memory:',
      readonly: !!opts.readonly,
      nativeBinding: sqliteNativeBinding(),
    });
  } catch (e) {
    throw new CredenceError('CREDENCE_E_DB', openFailure(path, !!opts.create, (e as Error).message), {
      file: path,
    });
  }
  try {
    if (!opts.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
    }
  } catch (e) {
    // The first statement is where SQLite finds the file is not a database (or is damaged), or
    // that it may not write it (the WAL switch writes).
    db.close();
    const readOnly = String((e as { code?: unknown }).code ?? '').startsWith('SQLITE_READONLY');
    const why = readOnly
      ? 'it is read-only to this user (the file, or its directory, where SQLite keeps its -wal and -shm files); every command writes to it, a read too (the audit log records it)'
      : (e as Error).message;
    throw new CredenceError('CREDENCE_E_DB', `cannot open database ${path}: ${why}`, { file: path });
  }
  // A schema past the migrations known here was made by a newer Credence: written by this one,
  // whatever it added (tables, columns, seals) would be left unmaintained, so it is not opened.
  const newer = newerSchema(path, db.pragma('user_version', { simple: true }) as number);
  if (newer) {
    db.close();
    throw newer;
  }
  db.pragma('busy_timeout = 10000');
  db.pragma('cache_size = -65536');
  db.pragma('temp_store = MEMORY');
  // Fewer, larger checkpoints: ingest writes in big batches.
  db.pragma('wal_autocheckpoint = 10000');
  try {
    return new SqliteStore(db, path, opts.commitFrame);
  } catch (e) {
    db.close();
    throw new CredenceError('CREDENCE_E_DB', `cannot open database ${path}: ${(e as Error).message}`, {
      file: path,
    });
  }
}

const toScore = (r: ScoreDbRow): ScoreRow => ({
  subject: r.subject,
  program: r.program,
  version: r.version,
  asOf: r.as_of,
  status: r.status,
  score: r.score,
  tier: r.tier,
  reason: r.reason,
});

const toLedger = (r: LedgerDbRow): LedgerRow => ({
  subject: r.subject,
  program: r.program,
  factKey: r.fact_key,
  ruleId: r.rule_id,
  at: r.at,
  points: r.points,
  raw: r.raw,
  dimension: r.dimension,
  reasonCode: r.reason_code,
});

/** A `programs` row as the port's `StoredRulebook` (also read by the API's program holder). */
export const toRulebook = (r: RulebookDbRow): StoredRulebook => ({
  program: r.program,
  version: r.version,
  name: r.name,
  yaml: r.yaml,
  spec: r.spec,
  effectiveFrom: r.effective_from,
  loadedAt: r.loaded_at,
});

/** The SQLite adapter of the store port (better-sqlite3 12, synchronous underneath). */
export class SqliteStore implements Store {
  readonly kind = 'sqlite';
  readonly #db: Database.Database;
  readonly #path: string;
  #st: Statements | undefined;
  #ist: IdentityStatements | undefined;
  #recorder: BatchRecorder | undefined;
  readonly #commitTx: Database.Transaction<(b: CommitBatch) => CommitReceipt>;
  readonly #readTx: Database.Transaction<(fn: () => unknown) => unknown>;

  constructor(db: Database.Database, path: string, frame?: CommitFrame) {
    this.#db = db;
    this.#path = path;
    if (frame) {
      const begin = db.prepare(frame.begin);
      const end = db.prepare(frame.end);
      this.#commitTx = db.transaction((b: CommitBatch) => {
        begin.run();
        const receipt = this.#applyBatch(b);
        end.run();
        return receipt;
      });
    } else {
      this.#commitTx = db.transaction((b: CommitBatch) => this.#applyBatch(b));
    }
    this.#readTx = db.transaction((fn: () => unknown) => fn());
  }

  /**
   * Runs a batch of look-ups in one read transaction. Outside a transaction each statement
   * opens and closes its own (in WAL mode: shared-memory locks and a snapshot check), which
   * cost about 8 µs per look-up against under 2 µs for the probe itself.
   */
  #read<T>(fn: () => T): T {
    return this.#db.inTransaction ? fn() : (this.#readTx(fn) as T);
  }

  /** The database file this store writes. */
  get path(): string {
    return this.#path;
  }

  get #s(): Statements {
    if (!this.#st) {
      if (this.#version() < migrations.length) {
        throw new CredenceError(
          'CREDENCE_E_DB',
          `database ${this.#path} is not initialised (run \`credence init --db ${this.#path}\`)`,
          { file: this.#path },
        );
      }
      this.#st = prepareStatements(this.#db);
    }
    return this.#st;
  }

  get #is(): IdentityStatements {
    if (!this.#ist) {
      void this.#s; // refuses an uninitialised database
      this.#ist = prepareIdentityStatements(this.#db);
    }
    return this.#ist;
  }

  #version(): number {
    return this.#db.pragma('user_version', { simple: true }) as number;
  }

  async isInitialised(): Promise<boolean> {
    return this.#version() >= migrations.length;
  }

  async migrate(): Promise<void> {
    const from = this.#version();
    const specJson = from < SPEC_MIGRATION ? await rulebookSpecJson() : undefined;
    // The identifiers' normaliser is loaded only for a file that needs respelling.
    const spell = from < PHONES_RESPELLED ? await identifierSpeller() : undefined;
    for (let v = from; v < migrations.length; v++) {
      // A fresh indexer for each indexing pass: it remembers the profiles it has met.
      const index = v + 1 === IDENTITY_KEYS || v + 1 === IDENTITY_REINDEX ? await recordKeysOf() : undefined;
      const rekey = v + 1 === IDENTITY_REINDEX ? await strongKeyNow() : undefined;
      this.#db.transaction(() => {
        this.#db.exec(migrations[v] as string);
        if (v + 1 === SPEC_MIGRATION && specJson) backfillRulebookSpecs(this.#db, specJson);
        if (index) backfillIdentityKeys(this.#db, index);
        if (rekey) rekeyIdentityState(this.#db, rekey);
        if (v + 1 === FACT_SEAL) {
          backfillFactSeal(this.#db);
          resealPrograms(this.#db);
          resealTables(this.#db, DERIVED_TABLES);
        }
        if (v + 1 === IDENTIFIERS_SEAL) resealTables(this.#db, ['identifiers']);
        if (v + 1 === FACT_SUBJECTS_SEAL) resealTables(this.#db, ['fact_subjects']);
        if (v + 1 === API_KEYS_SEAL) resealTables(this.#db, ['api_keys']);
        if (v + 1 === IDENTITY_SEAL) resealTables(this.#db, IDENTITY_TABLES);
        if (v + 1 === IDENTITY_KEYS_SEAL) resealTables(this.#db, ['identity_keys']);
        if (v + 1 === PHONES_RESPELLED && spell)
          respellIdentifiers(this.#db, spell(this.#db), prepareTableSealStatements(this.#db));
        this.#db.pragma(`user_version = ${v + 1}`);
      })();
    }
  }

  async close(): Promise<void> {
    if (this.#db.open) this.#db.close();
  }

  async addRulebook(r: NewRulebook): Promise<number> {
    const spec = (await rulebookSpecJson())(r.yaml);
    return this.#db
      .transaction(() => {
        const last = this.#s.maxVersion.get(r.program) as { v: number | null };
        const version = (last.v ?? 0) + 1;
        this.#s.insertRulebook.run(r.program, version, r.name, r.yaml, spec, r.effectiveFrom, r.loadedAt);
        resealPrograms(this.#db);
        return version;
      })
      .immediate();
  }

  async latestRulebooks(): Promise<StoredRulebook[]> {
    return (this.#s.latestRulebooks.all() as RulebookDbRow[]).map(toRulebook);
  }

  async rulebookVersions(program: string): Promise<StoredRulebook[]> {
    return (this.#s.rulebookVersions.all(program) as RulebookDbRow[]).map(toRulebook);
  }

  async allRulebooks(): Promise<StoredRulebook[]> {
    return (this.#s.allRulebooks.all() as RulebookDbRow[]).map(toRulebook);
  }

  async findFacts(refs: readonly FactRef[]): Promise<Map<string, KnownFact>> {
    const out = new Map<string, KnownFact>();
    const s = this.#s;
    this.#read(() => this.#findFacts(s, refs, out));
    return out;
  }

  #findFacts(s: Statements, refs: readonly FactRef[], out: Map<string, KnownFact>): void {
    for (const ref of refs) {
      const key = `${ref.source}/${ref.id}`;
      if (out.has(key)) continue;
      const r = s.findFact.get(ref.source, ref.id) as
        | {
            subject: string;
            type: string | null;
            at: number;
            hash: string;
            body: string;
            retracts: string | null;
            retracted: number;
          }
        | undefined;
      if (r) {
        out.set(key, {
          source: ref.source,
          id: ref.id,
          subject: r.subject,
          type: r.type,
          at: r.at,
          hash: r.hash,
          body: r.body,
          retracts: r.retracts,
          retracted: r.retracted === 1,
        });
      }
    }
  }

  async findIdentifiers(ids: readonly Identifier[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    const s = this.#s;
    this.#read(() => {
      for (const id of ids) {
        const key = `${id.kind}:${id.value}`;
        if (out.has(key)) continue;
        const r = s.findIdentifier.get(id.kind, id.value) as { subject: string } | undefined;
        if (r) out.set(key, r.subject);
      }
    });
    return out;
  }

  async existingSubjects(ids: readonly string[]): Promise<Set<string>> {
    const out = new Set<string>();
    const s = this.#s;
    this.#read(() => {
      for (const id of ids) if (s.subjectExists.get(id)) out.add(id);
    });
    return out;
  }

  async subjectsByIdentifierValue(value: string, kinds: readonly string[]): Promise<string[]> {
    const rows = this.#s.identifiersByValue.all(value) as { kind: string; subject: string }[];
    return [...new Set(rows.filter((r) => kinds.includes(r.kind)).map((r) => r.subject))].sort();
  }

  async subjectCount(): Promise<number> {
    return (this.#s.countSubjects.get() as { n: number }).n;
  }

  async subjectsPage(after: string, limit: number): Promise<string[]> {
    return (this.#s.subjectsPage.all(after, limit) as { id: string }[]).map((r) => r.id);
  }

  async personFacts(subjects: readonly string[]): Promise<Map<string, StoredFact[]>> {
    const out = new Map<string, StoredFact[]>();
    const s = this.#s;
    this.#read(() => {
      for (const subject of subjects) out.set(subject, s.personFacts.all(subject) as StoredFact[]);
    });
    return out;
  }

  async personConsents(subjects: readonly string[]): Promise<Map<string, ConsentRow[]>> {
    const out = new Map<string, ConsentRow[]>();
    const s = this.#s;
    this.#read(() => {
      for (const subject of subjects) out.set(subject, s.personConsents.all(subject) as ConsentRow[]);
    });
    return out;
  }

  async subjectsWithConsents(): Promise<Set<string>> {
    return new Set((this.#s.consentSubjects.all() as { subject: string }[]).map((r) => r.subject));
  }

  async commit(batch: CommitBatch): Promise<CommitReceipt> {
    return this.#commitTx.immediate(batch);
  }

  #applyBatch(b: CommitBatch): CommitReceipt {
    const receipt = applyCommitBatch(this.#s, () => this.#is, b);
    // In the batch's transaction, under its write lock: the chain's head is read after every
    // other writer's last commit, and the record is stored exactly when the batch is.
    if (b.record) {
      this.#recorder ??= new BatchRecorder(this.#db);
      this.#recorder.apply(b.record);
    }
    return receipt;
  }

  async clearDerived(program?: string, opts: { readonly keepConsents?: boolean } = {}): Promise<void> {
    this.#db.transaction(() => {
      if (program === undefined) {
        this.#db.exec('DELETE FROM ledger; DELETE FROM scores;');
        if (!opts.keepConsents) this.#db.exec('DELETE FROM consents;');
      } else {
        this.#s.clearProgramLedger.run(program);
        this.#s.clearProgramScores.run(program);
        if (!opts.keepConsents) this.#s.clearProgramConsents.run(program);
      }
      resealTables(this.#db, DERIVED_TABLES);
    })();
  }

  async ledger(subject: string, program: string): Promise<LedgerRow[]> {
    return (this.#s.ledgerOf.all(subject, program) as LedgerDbRow[]).map(toLedger);
  }

  async cachedScores(subject: string): Promise<ScoreRow[]> {
    return (this.#s.scoresOf.all(subject) as ScoreDbRow[]).map(toScore);
  }

  async programScores(program: string): Promise<ScoreRow[]> {
    return (this.#s.scoresOfProgram.all(program) as ScoreDbRow[]).map(toScore);
  }

  async personFile(subject: string): Promise<PersonFile> {
    const s = this.#s;
    return {
      subject,
      identifiers: s.identifiersOf.all(subject) as Identifier[],
      facts: s.personFacts.all(subject) as StoredFact[],
      retractedFacts: s.retractedFactsOf.all(subject) as StoredFact[],
      retractions: s.retractionsOf.all(subject) as StoredRetraction[],
      consents: s.personConsents.all(subject) as ConsentRow[],
      ledger: (s.personLedger.all(subject) as LedgerDbRow[]).map(toLedger),
      scores: (s.scoresOf.all(subject) as ScoreDbRow[]).map(toScore),
      links: identityRecordsOf(this.#is, subject),
    };
  }

  async identityState(): Promise<StoredIdentity> {
    return readIdentity(this.#is);
  }

  async readIdentity<T>(use: (s: StreamedIdentity) => T): Promise<T> {
    return this.#read(() => streamIdentity(this.#is, use));
  }

  async identityIndexStatus(): Promise<{ records: number; indexed: boolean; state: string | null }> {
    return this.#read(() => identityIndexStatus(this.#is));
  }

  async readIdentityCandidates<T>(q: IdentityCandidatesQuery, use: (s: StreamedIdentity) => T): Promise<T> {
    return this.#read(() => readIdentityCandidates(this.#is, q, use));
  }

  async identityRecordSubjects(recordIds: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    const is = this.#is;
    this.#read(() => {
      for (const id of recordIds) {
        const subject = is.recordSubject.get(id) as string | undefined;
        if (subject !== undefined) out.set(id, subject);
      }
    });
    return out;
  }

  async identityMoves(): Promise<{ from: string; to: string }[]> {
    return this.#is.moves.all() as { from: string; to: string }[];
  }

  async identityDecisions(): Promise<string[]> {
    return this.#is.allDecisions.all() as string[];
  }

  async identityRecordsOf(subject: string): Promise<StoredIdentityRecord[]> {
    return identityRecordsOf(this.#is, subject);
  }

  async identityRecord(recordId: string): Promise<StoredIdentityRecord | undefined> {
    return identityRecord(this.#is, recordId);
  }

  async identityReview(recordId: string): Promise<string | undefined> {
    return this.#is.reviewItem.get(recordId) as string | undefined;
  }

  async counts(): Promise<StoreCounts> {
    const n = (sql: string): number => (this.#db.prepare(sql).get() as { n: number }).n;
    return {
      subjects: n('SELECT count(*) AS n FROM subjects'),
      facts: n('SELECT count(*) AS n FROM facts WHERE retracts IS NULL'),
      retractions: n('SELECT count(*) AS n FROM facts WHERE retracts IS NOT NULL'),
      ledgerRows: n('SELECT count(*) AS n FROM ledger'),
      scores: n('SELECT count(*) AS n FROM scores'),
      consents: n('SELECT count(*) AS n FROM consents'),
      programs: n('SELECT count(DISTINCT program) AS n FROM programs'),
    };
  }
}
