/**
 * The store port: everything Credence keeps, behind one asynchronous, batch-oriented interface.
 *
 * Facts are append-only; ledgers, consent rows and cached scores are derived and can be rebuilt.
 * Writes arrive as one `CommitBatch` (a batch of facts with their ledger changes) and are applied
 * in one transaction, so the cost of an `await` is paid per batch, never per fact. Reads the ingest
 * pipeline needs are batch lookups for the same reason. SQLite is the first adapter; PostgreSQL
 * will pass the same contract suite (`src/store/contract/`).
 */

import type { AuditInput } from '../audit/audit-entry.js';

/** A loaded rulebook version, as stored. */
export interface StoredRulebook {
  readonly program: string;
  readonly version: number;
  readonly name: string;
  readonly yaml: string;
  /**
   * The YAML as parsed, in JSON (`rulebookSpecJson`), kept by the store so opening a database
   * compiles programs without parsing YAML; `null` when the text is not YAML.
   */
  readonly spec: string | null;
  readonly effectiveFrom: number;
  /** When it was loaded (epoch ms), for the record; scores never depend on it. */
  readonly loadedAt: number;
}

export interface NewRulebook {
  readonly program: string;
  readonly name: string;
  readonly yaml: string;
  readonly effectiveFrom: number;
  readonly loadedAt: number;
}

/** `(source, id)`: a fact's identity. */
export interface FactRef {
  readonly source: string;
  readonly id: string;
}

/** What the store knows about a fact already sent, enough to tell a duplicate from a conflict. */
export interface KnownFact {
  readonly source: string;
  readonly id: string;
  readonly subject: string;
  /** Null for a retraction. */
  readonly type: string | null;
  readonly at: number;
  readonly hash: string;
  /** The fact as it was sent (JSON text). */
  readonly body: string;
  /** The id this row retracts, for a retraction. */
  readonly retracts: string | null;
  /** Whether a retraction of this fact is stored. */
  readonly retracted: boolean;
}

/** A fact or retraction row to append. `body` is the fact as sent (JSON text). */
export interface NewFact {
  readonly source: string;
  readonly id: string;
  readonly subject: string;
  readonly type: string | null;
  readonly at: number;
  readonly body: string;
  /** `bodyDigest(body)`; the store computes it when absent. */
  readonly hash?: string;
  readonly retracts: string | null;
  readonly receivedAt: number;
}

/** A stored, unretracted fact of a person (retractions themselves are not returned). */
export interface StoredFact {
  readonly source: string;
  readonly id: string;
  readonly subject: string;
  readonly type: string;
  readonly at: number;
  readonly body: string;
  readonly receivedAt: number;
}

/** A stored retraction, for a person's file. */
export interface StoredRetraction {
  readonly source: string;
  readonly id: string;
  readonly retracts: string;
  readonly at: number;
  readonly receivedAt: number;
  /** The line as sent (a person's copy of their file shows what else it carried). */
  readonly body?: string;
}

/** An identifier that names a person exactly (national_id, passport_number, phone, ...). */
export interface Identifier {
  readonly kind: string;
  readonly value: string;
}

export interface NewIdentifier extends Identifier {
  readonly subject: string;
}

export interface ConsentRow {
  readonly subject: string;
  readonly program: string;
  readonly action: 'opt-in' | 'opt-out';
  readonly at: number;
  /** The fact (`source/id`) that recorded it. */
  readonly factKey: string;
}

export interface PersonProgram {
  readonly subject: string;
  readonly program: string;
}

/** One stored ledger line: the raw points one rule awarded for one fact in one program. */
export interface LedgerRow {
  readonly subject: string;
  readonly program: string;
  readonly factKey: string;
  readonly ruleId: string;
  readonly at: number;
  readonly points: number;
  readonly raw: number;
  readonly dimension: string | null;
  readonly reasonCode: string;
}

export interface LedgerKey {
  readonly subject: string;
  readonly program: string;
  readonly factKey: string;
  readonly ruleId: string;
}

/**
 * A cached score: the person's outcome as of their latest counted fact in the program
 * (`asOf`), so the cache is a pure function of the facts, like the ledger.
 */
export interface ScoreRow {
  readonly subject: string;
  readonly program: string;
  readonly version: number;
  readonly asOf: number;
  readonly status: 'scored' | 'not-scored';
  readonly score: number | null;
  readonly tier: string | null;
  readonly reason: string | null;
}

/**
 * Everything one ingest batch changes, applied in one transaction in this order:
 * subjects, identifiers, facts, consents (inserts, then deletes: a consent fact may be sent and
 * retracted in one batch), cleared ledgers,
 * ledger deletes, ledger upserts, scores; last, what its writer records about it (`record`).
 */
export interface CommitBatch {
  readonly subjects?: readonly string[];
  readonly identifiers?: readonly NewIdentifier[];
  readonly facts?: readonly NewFact[];
  /** Identity resolution's records, links, reviews and moves (applied right after the facts). */
  readonly identity?: IdentityWrites;
  readonly consents?: readonly ConsentRow[];
  /** Consent rows recorded by these facts (`source/id`) are removed (the fact was retracted). */
  readonly consentDeletes?: readonly string[];
  /** The whole ledger and cached score of each person and program are deleted first. */
  readonly clearLedgers?: readonly PersonProgram[];
  readonly ledgerDeletes?: readonly LedgerKey[];
  readonly ledgerUpserts?: readonly LedgerRow[];
  readonly scores?: readonly ScoreRow[];
  /**
   * What the batch's writer records about it, stored in the batch's own transaction: the batch and
   * its record are both in the file after a crash at any point, or neither is.
   */
  readonly record?: BatchRecord;
}

/**
 * A batch's record (a batch sent over HTTP: its import's receipt and its `facts.ingest` entry).
 * Before, they were written in a second transaction once the facts were committed, and a server
 * killed between the two left facts in scores that the audit log never recorded.
 */
export interface BatchRecord {
  /** Appended to the audit log after whatever head the batch's transaction finds. */
  readonly audit?: readonly AuditInput[];
  /** The import's receipt (`api_imports`), so its status is found exactly when its facts are. */
  readonly import?: ImportRecord;
  /**
   * The dispute the batch answers (an upheld fact dispute: the batch is its retraction; an upheld
   * link dispute: its split), closed in the batch's transaction; the batch is refused whole when
   * the dispute is no longer open.
   */
  readonly dispute?: DisputeClose;
}

/**
 * A dispute's answer as its table keeps it (`api_disputes`, or `api_link_disputes` for `kind:
 * 'link'`): the row moves from open to `status`.
 */
export interface DisputeClose {
  readonly id: string;
  readonly kind?: 'fact' | 'link';
  readonly status: 'upheld' | 'rejected';
  readonly resolvedAt: number;
  readonly note: string;
  /** A link dispute upheld: the facts that left the person with the record, and who it went to. */
  readonly movedFacts?: number | null;
  readonly splitTo?: string | null;
}

/** A row of `api_imports`: what became of a batch sent over HTTP. */
export interface ImportRecord {
  readonly id: string;
  readonly keyId: string;
  readonly source: string | null;
  readonly receivedAt: number;
  readonly lines: number;
  readonly accepted: number;
  readonly duplicates: number;
  readonly rejected: number;
  /** The refused facts' results (JSON text). */
  readonly rejections: string;
}

/** A person record as identity resolution keeps it: the subject it links to and the link's evidence. */
export interface StoredIdentityRecord {
  readonly recordId: string;
  readonly subject: string;
  /** `new`, `deterministic`, `probabilistic` or `review`. */
  readonly decision: string;
  readonly confidence: number;
  readonly matched: string | null;
  /** The record (JSON text). */
  readonly body: string;
  /** The resolution with its field evidence (JSON text). */
  readonly link: string;
  /** The profile's signature (identity's `IndexKeys`); absent on records read back. */
  readonly sig?: number;
  /** On a profile's first record: its blocking- and strong-key hashes. */
  readonly keys?: readonly number[];
}

/** Which records a batch's resolution needs (identity's `candidateKeys`; docs/identity.md, "Scale"). */
export interface IdentityCandidatesQuery {
  /** Blocking-key hashes: the newest `limit` first records of each. */
  readonly block: readonly number[];
  /** Strong-key hashes: the first record of each. */
  readonly strong: readonly number[];
  /** Profile signatures: every record of each. */
  readonly sigs: readonly number[];
  /** Persons: every record of each. */
  readonly subjects: readonly string[];
  readonly limit: number;
}

/** What identity resolution changes in one transaction (JSON texts are the identity module's shapes). */
export interface IdentityWrites {
  readonly records?: readonly StoredIdentityRecord[];
  /**
   * Every record of `from` now links to `to`; with `facts`, facts, identifiers and consents move
   * too, else the move is queued (`moves`) until the facts are moved.
   */
  readonly subjectMoves?: readonly { from: string; to: string; facts: boolean }[];
  readonly relink?: readonly { recordId: string; subject: string }[];
  /** Facts (with their retractions and consent rows) that change person. */
  readonly factMoves?: readonly { source: string; id: string; subject: string }[];
  readonly identifierMoves?: readonly { kind: string; value: string; from: string; to: string }[];
  readonly reviews?: readonly { recordId: string; item: string }[];
  readonly reviewsClosed?: readonly string[];
  readonly decisions?: readonly { seq: number; body: string }[];
  readonly state?: string;
  /** The queued moves are done. */
  readonly movesSettled?: boolean;
}

/** The identity tables, to restore the resolver from. */
export interface StoredIdentity {
  /**
   * Every record in arrival order, without its link evidence: restoring needs the records and
   * where they link, and the evidence (most of a row's bytes) is read per person when shown.
   */
  readonly records: readonly Omit<StoredIdentityRecord, 'link'>[];
  readonly reviews: readonly string[];
  readonly decisions: readonly string[];
  readonly state: string | null;
  /** Merges found during ingest whose facts are not moved yet, in order. */
  readonly moves: readonly { from: string; to: string }[];
}

/**
 * `StoredIdentity` with its records streamed: each is read when the iteration reaches it, once.
 * Valid only during the `readIdentity` call that hands it over.
 */
export interface StreamedIdentity extends Omit<StoredIdentity, 'records'> {
  readonly records: Iterable<Omit<StoredIdentityRecord, 'link'>>;
}

export interface CommitReceipt {
  readonly facts: number;
  readonly ledgerRows: number;
}

export interface StoreCounts {
  readonly subjects: number;
  readonly facts: number;
  readonly retractions: number;
  readonly ledgerRows: number;
  readonly scores: number;
  readonly consents: number;
  readonly programs: number;
}

/** A person's whole file (GDPR Art. 15). */
export interface PersonFile {
  readonly subject: string;
  readonly identifiers: readonly Identifier[];
  readonly facts: readonly StoredFact[];
  /**
   * Facts a retraction has undone. They count nowhere, but their rows stay (facts are
   * append-only), so a copy of everything held about the person (GDPR Art. 15) must show them.
   */
  readonly retractedFacts?: readonly StoredFact[];
  readonly retractions: readonly StoredRetraction[];
  readonly consents: readonly ConsentRow[];
  readonly ledger: readonly LedgerRow[];
  readonly scores: readonly ScoreRow[];
  /** The person records linked to them, with each link's evidence. */
  readonly links?: readonly StoredIdentityRecord[];
}

/**
 * The store port. Every method is asynchronous so a networked adapter fits behind it;
 * every write is one `commit` of a whole batch.
 *
 * @example
 * const store = await openSqliteStore('credence.db');
 * await store.commit({ subjects: ['P0000001'], facts: [row] });
 */
export interface Store {
  /** Which adapter this is (`sqlite`, `postgres`). */
  readonly kind: string;
  /** True when the schema is present (migrations applied). */
  isInitialised(): Promise<boolean>;
  /** Applies pending migrations; safe to call on an initialised store. */
  migrate(): Promise<void>;
  close(): Promise<void>;

  /** Adds the program's next rulebook version and returns its number (1 for the first). */
  addRulebook(r: NewRulebook): Promise<number>;
  /** The latest version of every program, ordered by program id. */
  latestRulebooks(): Promise<StoredRulebook[]>;
  rulebookVersions(program: string): Promise<StoredRulebook[]>;
  /** Every version of every program, by program then version. */
  allRulebooks(): Promise<StoredRulebook[]>;

  /** Facts and retractions already stored under these refs, keyed `source/id`. */
  findFacts(refs: readonly FactRef[]): Promise<Map<string, KnownFact>>;
  /** The subject each identifier names, keyed `kind:value`. */
  findIdentifiers(ids: readonly Identifier[]): Promise<Map<string, string>>;
  /** Which of these subject ids exist. */
  existingSubjects(ids: readonly string[]): Promise<Set<string>>;
  /** Subjects any strong identifier with this value names (for `credence score SUBJECT`). */
  subjectsByIdentifierValue(value: string, kinds: readonly string[]): Promise<string[]>;
  /** The number of subjects ever created: the next generated id's sequence number is this plus one. */
  subjectCount(): Promise<number>;
  /** Subject ids after `after` in id order, at most `limit` (for paging through everyone). */
  subjectsPage(after: string, limit: number): Promise<string[]>;

  /** Unretracted facts of these people, in `(at, source, id)` order per person. */
  personFacts(subjects: readonly string[]): Promise<Map<string, StoredFact[]>>;
  /** Consent rows of these people, in time order per person. */
  personConsents(subjects: readonly string[]): Promise<Map<string, ConsentRow[]>>;
  /** Everyone who has any consent row. */
  subjectsWithConsents(): Promise<Set<string>>;

  commit(batch: CommitBatch): Promise<CommitReceipt>;
  /**
   * A write-behind store (`WriteBehindStore`) acknowledges a commit once it is handed over;
   * `flush` waits until every one handed over is durable and throws the error of one that failed.
   * Stores that commit in place do not have it.
   */
  flush?(): Promise<void>;
  /**
   * Resolves once every batch handed over is durable, rejects if the one in flight failed, and
   * unlike `flush` leaves the failure for the next `commit` or `flush` to report (write-behind only).
   */
  settled?(): Promise<void>;
  /** Deletes every derived row, ledger, cached score and consent (before a rebuild), optionally of one program. */
  /**
   * With `keepConsents`, consent rows stay (a rebuild replaces them person by person, so an
   * opt-out is never missing from the file, not even while a rebuild is killed part way).
   */
  clearDerived(program?: string, opts?: { readonly keepConsents?: boolean }): Promise<void>;

  ledger(subject: string, program: string): Promise<LedgerRow[]>;
  cachedScores(subject: string): Promise<ScoreRow[]>;
  /** Cached scores of a program, for distributions. */
  programScores(program: string): Promise<ScoreRow[]>;
  personFile(subject: string): Promise<PersonFile>;
  counts(): Promise<StoreCounts>;

  /** Everything identity resolution persisted (read once, to restore the resolver). */
  identityState(): Promise<StoredIdentity>;
  /**
   * `identityState` handed to `use`, which runs synchronously while the records are read, one at
   * a time: a restore of millions of records keeps none of the rows it has passed.
   */
  readIdentity<T>(use: (s: StreamedIdentity) => T): Promise<T>;
  /** The person each of these records links to now (record id → subject; unknown ids left out). */
  identityRecordSubjects(recordIds: readonly string[]): Promise<Map<string, string>>;
  /**
   * How many identity records there are, whether all are indexed for `readIdentityCandidates`,
   * and the operator state (JSON text).
   */
  identityIndexStatus(): Promise<{ records: number; indexed: boolean; state: string | null }>;
  /**
   * `readIdentity` with only the records a batch's resolution can meet (see
   * `IdentityCandidatesQuery`), closed over their persons and profiles, in arrival order; no reviews.
   */
  readIdentityCandidates<T>(q: IdentityCandidatesQuery, use: (s: StreamedIdentity) => T): Promise<T>;
  /** `identityState().moves` alone, without reading the records. */
  identityMoves(): Promise<{ from: string; to: string }[]>;
  /** `identityState().decisions` alone (JSON texts, in order), without reading the records. */
  identityDecisions(): Promise<string[]>;
  /** The records linked to a person now, in arrival order. */
  identityRecordsOf(subject: string): Promise<StoredIdentityRecord[]>;
  identityRecord(recordId: string): Promise<StoredIdentityRecord | undefined>;
  /** The review item waiting on a record (JSON text, as stored), or undefined when none is open. */
  identityReview(recordId: string): Promise<string | undefined>;
}
