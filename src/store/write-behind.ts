import { bodyDigest } from './fact-digest.js';
import type {
  CommitBatch,
  CommitReceipt,
  ConsentRow,
  FactRef,
  Identifier,
  IdentityCandidatesQuery,
  KnownFact,
  NewFact,
  NewRulebook,
  Store,
  StoredFact,
  StreamedIdentity,
} from './store.js';

/** Applies commit batches somewhere else (a worker thread), in call order. */
export interface AsyncCommitter {
  commit(batch: CommitBatch): Promise<CommitReceipt>;
  close(): Promise<void>;
  /** It can take no more batches (its thread ended): the store then commits in place. */
  readonly stopped?: boolean;
}

/** What the batch in flight adds that the look-ups of the next batch must see. */
interface InFlight {
  readonly done: Promise<CommitReceipt>;
  /** Rows of this batch by `source/id`; turned into a `KnownFact` only when looked up. */
  readonly facts: Map<string, NewFact>;
  /** `source/id` of facts this batch retracts (stored earlier or in it). */
  readonly retracted: Set<string>;
  readonly identifiers: Map<string, string>;
  readonly subjects: Set<string>;
  /** People whose stored facts this batch changes. */
  readonly people: Set<string>;
  readonly consents: boolean;
  readonly identity: boolean;
  /** The batch moves facts, identifiers or consents between people: every read waits for it. */
  readonly moves: boolean;
}

const keyOf = (source: string, id: string): string => `${source}/${id}`;

function inFlight(b: CommitBatch, done: Promise<CommitReceipt>): InFlight {
  const facts = new Map<string, NewFact>();
  const retracted = new Set<string>();
  const people = new Set<string>();
  for (const f of b.facts ?? []) {
    people.add(f.subject);
    if (f.retracts !== null) retracted.add(keyOf(f.source, f.retracts));
    facts.set(keyOf(f.source, f.id), f);
  }
  // The store keeps the first claim of an identifier (insert or ignore), in a batch as across them.
  const identifiers = new Map<string, string>();
  for (const x of b.identifiers ?? []) {
    const k = `${x.kind}:${x.value}`;
    if (!identifiers.has(k)) identifiers.set(k, x.subject);
  }
  const i = b.identity;
  return {
    done,
    facts,
    retracted,
    identifiers,
    subjects: new Set(b.subjects ?? []),
    people,
    consents: (b.consents?.length ?? 0) > 0 || (b.consentDeletes?.length ?? 0) > 0,
    identity:
      !!i &&
      ((i.records?.length ?? 0) > 0 || (i.subjectMoves?.length ?? 0) > 0 || (i.relink?.length ?? 0) > 0),
    moves:
      !!i &&
      ((i.factMoves?.length ?? 0) > 0 ||
        (i.identifierMoves?.length ?? 0) > 0 ||
        (i.subjectMoves ?? []).some((m) => m.facts)),
  };
}

/**
 * A store whose commits are applied behind the caller's back, one batch at a time: `commit`
 * returns once the previous batch has committed and this one is handed to the committer, so the
 * ingest pipeline judges batch n+1 on one core while batch n is written on the other.
 *
 * Reads stay consistent: the ingest look-ups (facts by key, identifiers, subjects, a person's
 * facts and consents) see the batch in flight through an overlay or wait for it; every other
 * read waits for it. A failed batch is reported by the next `commit` or `flush`, and nothing
 * after it is applied. `flush` makes every accepted batch durable; `close` flushes first. If the
 * committer stops for good (its thread died), later batches are committed in place.
 */
export class WriteBehindStore implements Store {
  readonly kind: string;
  readonly #inner: Store;
  readonly #committer: AsyncCommitter;
  #flight: InFlight | undefined;

  constructor(inner: Store, committer: AsyncCommitter) {
    this.#inner = inner;
    this.#committer = committer;
    this.kind = inner.kind;
  }

  async commit(batch: CommitBatch): Promise<CommitReceipt> {
    await this.flush();
    // A writer thread that died (its batch in flight was reported above) would refuse every later
    // batch: a long-running server goes on committing on its own connection instead.
    if (this.#committer.stopped) return this.#inner.commit(batch);
    const done = this.#committer.commit(batch);
    // Reported by the next commit or flush; marked handled so it is not an unhandled rejection.
    done.catch(() => {});
    this.#flight = inFlight(batch, done);
    return { facts: batch.facts?.length ?? 0, ledgerRows: batch.ledgerUpserts?.length ?? 0 };
  }

  /** Waits until every batch handed over is committed; throws the error of one that failed. */
  async flush(): Promise<void> {
    const f = this.#flight;
    if (!f) return;
    try {
      await f.done;
    } finally {
      if (this.#flight === f) this.#flight = undefined;
    }
  }

  /**
   * Resolves once every batch handed over so far is durable; rejects with the error of the one
   * in flight if it failed. Unlike `flush` it changes nothing: the failure is still reported to
   * the next `commit` or `flush`, so the pipeline that judged the batch learns of it too. For a
   * caller (an HTTP request) that must not answer before its own batch is stored.
   */
  settled(): Promise<void> {
    const f = this.#flight;
    return f ? f.done.then(() => undefined) : Promise.resolve();
  }

  /** Flushes and stops the committer; the inner store stays open. */
  async detach(): Promise<void> {
    try {
      await this.flush();
    } finally {
      await this.#committer.close();
    }
  }

  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      await this.#committer.close();
      await this.#inner.close();
    }
  }

  async findFacts(refs: readonly FactRef[]): Promise<Map<string, KnownFact>> {
    const f = await this.#overlay();
    const out = await this.#inner.findFacts(refs);
    if (!f) return out;
    for (const ref of refs) {
      const key = keyOf(ref.source, ref.id);
      const mine = f.facts.get(key);
      if (mine)
        out.set(key, { ...mine, hash: mine.hash ?? bodyDigest(mine.body), retracted: f.retracted.has(key) });
      else if (f.retracted.has(key)) {
        const stored = out.get(key);
        if (stored) out.set(key, { ...stored, retracted: true });
      }
    }
    return out;
  }

  async findIdentifiers(ids: readonly Identifier[]): Promise<Map<string, string>> {
    const f = await this.#overlay();
    const out = await this.#inner.findIdentifiers(ids);
    if (!f) return out;
    for (const id of ids) {
      const k = `${id.kind}:${id.value}`;
      const s = f.identifiers.get(k);
      // The store keeps the first claim (insert or ignore): the overlay only fills gaps.
      if (s !== undefined && !out.has(k)) out.set(k, s);
    }
    return out;
  }

  async existingSubjects(ids: readonly string[]): Promise<Set<string>> {
    const f = await this.#overlay();
    const out = await this.#inner.existingSubjects(ids);
    if (f) for (const id of ids) if (f.subjects.has(id)) out.add(id);
    return out;
  }

  async personFacts(subjects: readonly string[]): Promise<Map<string, StoredFact[]>> {
    if (this.#flight && subjects.some((s) => this.#flight?.people.has(s))) await this.flush();
    return this.#inner.personFacts(subjects);
  }

  async personConsents(subjects: readonly string[]): Promise<Map<string, ConsentRow[]>> {
    // A consent delete names only the fact: any consent change in flight is waited for.
    if (this.#flight?.consents) await this.flush();
    return this.#inner.personConsents(subjects);
  }

  async subjectsWithConsents(): Promise<Set<string>> {
    if (this.#flight?.consents) await this.flush();
    return this.#inner.subjectsWithConsents();
  }

  async identityRecordSubjects(recordIds: readonly string[]): Promise<Map<string, string>> {
    // Only a batch with identity writes (new records, relinks) can change the answer.
    if (this.#flight?.identity) await this.flush();
    return this.#inner.identityRecordSubjects(recordIds);
  }

  /**
   * The batch in flight, when the overlay can stand for it. One that moves facts, identifiers or
   * consents between people is waited for (the overlay holds new rows only): a look-up right after
   * an operator's split read the moved fact under its old person, and a retraction sent then was
   * filed under them.
   */
  async #overlay(): Promise<InFlight | undefined> {
    while (this.#flight?.moves) await this.flush();
    return this.#flight;
  }

  // Every other read or write waits for the batch in flight.
  async #after<T>(fn: (s: Store) => Promise<T>): Promise<T> {
    await this.flush();
    return fn(this.#inner);
  }

  isInitialised = () => this.#after((s) => s.isInitialised());
  migrate = () => this.#after((s) => s.migrate());
  addRulebook = (r: NewRulebook) => this.#after((s) => s.addRulebook(r));
  latestRulebooks = () => this.#after((s) => s.latestRulebooks());
  rulebookVersions = (program: string) => this.#after((s) => s.rulebookVersions(program));
  allRulebooks = () => this.#after((s) => s.allRulebooks());
  subjectsByIdentifierValue = (value: string, kinds: readonly string[]) =>
    this.#after((s) => s.subjectsByIdentifierValue(value, kinds));
  subjectCount = () => this.#after((s) => s.subjectCount());
  subjectsPage = (after: string, limit: number) => this.#after((s) => s.subjectsPage(after, limit));
  clearDerived = (program?: string, opts?: { readonly keepConsents?: boolean }) =>
    this.#after((s) => s.clearDerived(program, opts));
  ledger = (subject: string, program: string) => this.#after((s) => s.ledger(subject, program));
  cachedScores = (subject: string) => this.#after((s) => s.cachedScores(subject));
  programScores = (program: string) => this.#after((s) => s.programScores(program));
  personFile = (subject: string) => this.#after((s) => s.personFile(subject));
  counts = () => this.#after((s) => s.counts());
  identityState = () => this.#after((s) => s.identityState());
  readIdentity = <T>(use: (s: StreamedIdentity) => T) => this.#after((s) => s.readIdentity(use));
  identityIndexStatus = () => this.#after((s) => s.identityIndexStatus());
  readIdentityCandidates = <T>(q: IdentityCandidatesQuery, use: (s: StreamedIdentity) => T) =>
    this.#after((s) => s.readIdentityCandidates(q, use));
  identityMoves = () => this.#after((s) => s.identityMoves());
  identityDecisions = () => this.#after((s) => s.identityDecisions());

  identityRecordsOf = (subject: string) => this.#after((s) => s.identityRecordsOf(subject));
  identityRecord = (recordId: string) => this.#after((s) => s.identityRecord(recordId));
  identityReview = (recordId: string) => this.#after((s) => s.identityReview(recordId));
}
