import { createHash } from 'node:crypto';
import { CredenceError } from '../../core/errors/index.js';
import type { Subject } from '../../core/facts/fact.js';
import {
  BLOCK_LIMIT,
  candidateKeys,
  defaultModel,
  type IdentityDecision,
  type Resolution as IdResolution,
  MergeChains,
  type MergeStep,
  PERSON_FIELDS,
  type PersonRecord,
  Resolver,
  type ResolverSnapshot,
  type ReviewItem,
  subjectToRecord,
} from '../../identity/index.js';
import type {
  Identifier,
  IdentityWrites,
  NewIdentifier,
  Store,
  StoredIdentity,
  StoredIdentityRecord,
  StreamedIdentity,
} from '../../store/store.js';
import { GENERATED_ID, generatedSubjectId } from './exact-resolver.js';
import { subjectIdentifiers } from './identifiers.js';
import type { Resolution, ResolverWrites, SubjectResolver } from './subject-resolver.js';

// Entries of each memo (subject text → record id; identifier → person) before it starts again.
// About 400 bytes an entry: at 300,000 the two held ~160 MB of a 10M-line run's heap, beside the
// engine's own records; a miss costs one canonical text and one SHA-256 (~2 µs).
const MEMO_LIMIT = 100_000;

/**
 * Records a batch's new representation reads back from the store, at most, on the data measured
 * (its blocks' newest profiles and their persons): past one in this many of the stored records
 * per new representation, restoring everyone once costs less than reading candidates.
 */
const CANDIDATE_READS = 64;
/**
 * Batches of one run restored from their candidates, at most: each waits for the batch before it
 * to commit (the write-behind store answers the read after it), so a long run restores once and
 * keeps its engine instead. A register's daily delta takes one to three batches.
 */
const CANDIDATE_BATCHES = 16;

export interface IdentityResolverOptions {
  /**
   * A batch with representations the store has not seen needs the engine. `auto` restores only
   * their candidates from the store when that reads far fewer records than restoring everyone
   * (a register's daily delta), `always` does so for every batch, `never` restores everyone once.
   * Both give the same decisions (docs/identity.md, "Scale").
   */
  readonly candidates?: 'auto' | 'always' | 'never';
  /** Profiles compared per blocking key (`BLOCK_LIMIT`); smaller only to exercise eviction in tests. */
  readonly blockLimit?: number;
  /**
   * Records the engine may hold in memory over a run (about 720 bytes each). Past it, the engine
   * is let go after its batch and every later batch with new representations reads its
   * candidates from the store: memory stays bounded, each such batch costs its reads and waits
   * for the batch before it to commit. Unbounded when absent.
   */
  readonly maxRecords?: number;
}

/**
 * The canonical text of a subject's person fields (trimmed, in DESIGN.md order): equal for
 * the same representation, whichever key order or `subjectId`-free spelling a source used.
 *
 * @example
 * subjectKey({ surname: 'Wang', phone: ' +8613800138000' }) === subjectKey({ phone: '+8613800138000', surname: 'Wang' })
 */
export function subjectKey(subject: Subject): string {
  let s = '';
  for (let i = 1; i < PERSON_FIELDS.length; i++) {
    const v = subject[PERSON_FIELDS[i] as string];
    if (typeof v !== 'string') continue;
    const t = v.trim();
    if (t.length > 0) s += `${i}=${t}\u0001`;
  }
  return s;
}

/**
 * The record id of a subject representation: a hash of its canonical text, so the same input
 * names the same records in any order, and a fact finds its record from its own body.
 *
 * @example
 * recordIdOf({ phone: '+8613800138000' }) // 'R' + 20 hex digits
 */
export function recordIdOf(subject: Subject): string {
  return recordIdOfKey(subjectKey(subject));
}

function recordIdOfKey(key: string): string {
  // Joined, not concatenated: `'R' + slice` would be a cons string over a slice of the whole
  // 64-character digest, ~150 bytes where 40 do; the engine keeps every record's id for good.
  return ['R', createHash('sha256').update(key).digest('hex').slice(0, 20)].join('');
}

const EMPTY_RECORD = recordIdOfKey('');

/**
 * Identifiers matched exactly by hash lookup: phone, account, e-mail, customer number. Resident IDs
 * are left to the engine's validation, and so are passports: sent with its issuing country, the
 * engine keys one by country and number (`CN` and `CHN` alike); sent without it, the number is
 * not a passport Credence can name (two countries may issue the same number), so it binds nobody
 * by itself: it is a weak attribute the engine weighs with the rest of the record. Looked up by
 * the number alone, it joined whoever claimed the number first, a Korean holder's line the Chinese
 * holder's when the Chinese one came first.
 */
function exactIdentifiers(subject: Subject): Identifier[] {
  return subjectIdentifiers(subject).filter(
    (id) => id.kind !== 'national_id' && id.kind !== 'passport_number',
  );
}

/** Operator state kept beside the records: where strong keys lead after splits, persons kept apart. */
interface IdentityStateJson {
  strong: [string, string][];
  apart: [string, string][];
}

function parseState(text: string | null): IdentityStateJson {
  if (!text) return { strong: [], apart: [] };
  const s = JSON.parse(text) as Partial<IdentityStateJson>;
  return { strong: s.strong ?? [], apart: s.apart ?? [] };
}

/**
 * Rebuilds the resolver from the identity tables, without re-resolving: records in arrival
 * order with the person each links to now, reviews, history, operator state. Names of persons
 * merged since the state was written are followed to their survivor.
 */
export function restoreResolver(
  stored: StoredIdentity | StreamedIdentity,
  newSubjectId: () => string,
  blockLimit = BLOCK_LIMIT,
): Resolver {
  const decisions = stored.decisions.map((d) => JSON.parse(d) as IdentityDecision);
  const alias = new Map<string, string>();
  for (const d of decisions) if (d.kind === 'merge') alias.set(d.absorbed, d.survivor);
  const current = (s: string): string => {
    let x = s;
    for (let i = 0; i < 1000 && alias.has(x); i++) x = alias.get(x) as string;
    return x;
  };
  // Persons that hold a record, gathered as the records stream past: the operator state below
  // is read by `Resolver.restore` after the records, and keeps only what names them.
  const known = new Set<string>();
  const state = parseState(stored.state);
  const pairs = (list: [string, string][]): [string, string][] =>
    list
      .map(([a, b]): [string, string] => [current(a), current(b)])
      .filter(([a, b]) => known.has(a) && known.has(b));
  // Each record is parsed when the engine reaches it and let go after: a restore of millions of
  // records does not hold every body twice, as text and parsed (nor, streamed, every row).
  function* records(): Generator<ResolverSnapshot['records'][number]> {
    for (const r of stored.records) {
      known.add(r.subject);
      yield {
        record: JSON.parse(r.body) as PersonRecord,
        subjectId: r.subject,
        decision: r.decision as ResolverSnapshot['records'][number]['decision'],
        confidence: r.confidence,
        ...(r.matched ? { matchedRecordId: r.matched } : {}),
      };
    }
  }
  const snapshot: Parameters<typeof Resolver.restore>[0] = {
    version: 1,
    model: defaultModel(),
    liveTermFrequencies: false,
    nextSeq: 1,
    records: records(),
    get strong() {
      return state.strong.map(([k, s]): [string, string] => [k, current(s)]).filter(([, s]) => known.has(s));
    },
    get apart() {
      return pairs(state.apart);
    },
    get reviews() {
      return stored.reviews.map((text) => {
        const item = JSON.parse(text) as ReviewItem;
        return {
          ...item,
          subjectId: current(item.subjectId),
          candidates: item.candidates
            .map((c) => ({ ...c, subjectId: current(c.subjectId) }))
            .filter((c) => known.has(c.subjectId)),
        };
      });
    },
    decisions,
  };
  // The store keeps each record's body: the engine keeps ids, profiles and links only.
  return Resolver.restore(snapshot, {
    newSubjectId,
    keepRecords: false,
    rawMemo: false,
    contentIds: true,
    blockLimit,
  });
}

/** A review item as stored: the provisional person and the candidates with their evidence. */
function reviewText(item: ReviewItem): string {
  return JSON.stringify(item);
}

/**
 * The identity engine behind ingest's `SubjectResolver`: a fact's `subject` becomes a person
 * record (one per distinct representation, memoised by its canonical text), resolved by the
 * `Resolver` (strong identifiers, then Fellegi–Sunter), and persisted with its evidence in the
 * batch's transaction. The resolver is restored once, at the first batch; afterwards only new
 * records, reviews and decisions are written. A record that bridges two persons merges them;
 * the merge is queued with the batch and `settleIdentityMoves` moves the facts.
 *
 * @example
 * const r = new IdentityResolver(store);
 * await r.prepare([{ phone: '+8613800138000', full_name: '王伟' }]);
 * r.resolve({ phone: '+8613800138000', full_name: '王伟' }) // { ok: true, subject: 'P0000001', created: true }
 */
export class IdentityResolver implements SubjectResolver {
  readonly #store: Store;
  #resolver: Resolver | undefined;
  #memo = new Map<string, string>();
  /**
   * Record ids of the subject objects of the batch being resolved (prepare and resolve see the
   * same objects). A plain map emptied each batch: a WeakMap entry per line made the collector
   * trace an ephemeron per fact.
   */
  #bySubject = new Map<Subject, string>();
  /** `kind:value` of an exact identifier → the person holding it (null: known to be unclaimed). */
  #claims = new Map<string, string | null>();
  /** Decisions (by seq) the exact-identifier path made: persisted as the resolver's, not an operator's. */
  readonly #automatic = new Set<number>();
  readonly #explicit = new Set<string>();
  #nextSeq = 1;
  /** `start` ran: the merges a killed run left to settle are known. */
  #started = false;
  /** The next person number is known (`#startCounted`). */
  #counted = false;
  /** Record id → person, from the store, for a batch resolved without restoring the engine. */
  #stored = new Map<string, string>();
  #decisionsWritten = 0;
  #state: IdentityStateJson = { strong: [], apart: [] };
  /** Merges committed (or loaded) whose facts are not moved yet. */
  #queued: { from: string; to: string }[] = [];
  #pendingQueued: { from: string; to: string }[] = [];
  #subjects: string[] = [];
  #identifiers: NewIdentifier[] = [];
  #records: StoredIdentityRecord[] = [];
  #reviews: { recordId: string; item: string }[] = [];
  #identity: IdentityWrites | undefined;
  /**
   * The identity decisions' merges and splits, read once a fact names its person by id: an id
   * merged into another names that person, so its facts go to them (and their opt-out holds).
   * Kept up with this run's own decisions (`#syncChains`).
   */
  #chains: MergeChains | undefined;
  /** How many of the resolver's decisions `#chains` holds. */
  #chainsUpTo = 0;
  readonly #candidates: 'auto' | 'always' | 'never';
  readonly #blockLimit: number;
  readonly #maxRecords: number;
  /** The engine grew past `maxRecords` this run: from then on every batch reads its candidates. */
  #bounded = false;
  /** The store's records are not all indexed: the engine cannot be let go (it would restore whole). */
  #unindexed = false;
  /** `#resolver` holds only this batch's candidates (`#loadCandidates`), and is let go at `take`. */
  #partial = false;
  /** Records this run read back as candidates: past half the store, a whole restore is cheaper. */
  #candidateReads = 0;
  #candidateBatches = 0;
  /**
   * The pairs kept apart `loadForReview`'s engine was restored with (only those among the persons
   * it holds): undefined when the engine holds every pair.
   */
  #apartRestored: number | undefined;

  constructor(store: Store, opts: IdentityResolverOptions = {}) {
    this.#store = store;
    this.#candidates = opts.candidates ?? 'auto';
    this.#blockLimit = opts.blockLimit ?? BLOCK_LIMIT;
    this.#maxRecords = opts.maxRecords ?? Number.POSITIVE_INFINITY;
  }

  /**
   * What every run needs before its first batch: the merges a killed run left to settle. Cheap,
   * unlike `load`: a batch whose facts all name their person by `subjectId` or repeat a stored
   * representation (a register delta's updates and removals) never restores the resolver.
   */
  async start(): Promise<void> {
    if (this.#started) return;
    this.#queued = (await this.#store.identityMoves()).map((m) => ({ ...m }));
    this.#started = true;
  }

  /**
   * `start`, and the next person number, before an engine that may number new persons is built.
   * Counted then, not at `start`: counting a million-person table took 30–60 ms of a 10,000-row
   * delta that creates nobody. Persons a batch created by a given id are counted too, whether
   * the run was killed between the batches or not.
   */
  async #startCounted(): Promise<void> {
    await this.start();
    if (this.#counted) return;
    this.#nextSeq = (await this.#store.subjectCount()) + 1;
    this.#counted = true;
  }

  /** Restores the resolver from the store (once; `reset` forgets it). */
  async load(): Promise<Resolver> {
    if (this.#resolver && !this.#partial) return this.#resolver;
    this.#partial = false;
    this.#apartRestored = undefined;
    await this.#startCounted();
    const resolver = await this.#store.readIdentity((stored) => {
      this.#decisionsWritten = stored.decisions.length;
      this.#state = parseState(stored.state);
      return restoreResolver(stored, () => this.#newSubjectId(), this.#blockLimit);
    });
    this.#resolver = resolver;
    return resolver;
  }

  /** The loaded resolver (after `load` or `prepare`). */
  get resolver(): Resolver {
    if (!this.#resolver) throw new CredenceError('CREDENCE_E_INTERNAL', 'identity resolver used before load');
    return this.#resolver;
  }

  /** Merges whose facts still sit with the absorbed person, in order. */
  get queuedMoves(): readonly { from: string; to: string }[] {
    return this.#queued;
  }

  #newSubjectId(): string {
    const id = generatedSubjectId(this.#nextSeq++);
    this.#subjects.push(id);
    return id;
  }

  async prepare(subjects: readonly Subject[]): Promise<void> {
    this.#bySubject.clear();
    if (this.#claims.size > MEMO_LIMIT) this.#claims.clear();
    const resolver = await this.#engineFor(subjects);
    const given: string[] = [];
    const unseen: Subject[] = [];
    for (const s of subjects) {
      if (s.subjectId !== undefined) {
        if (!this.#explicit.has(s.subjectId)) given.push(s.subjectId);
        continue;
      }
      // Only representations not seen before need the identifier claims.
      if (resolver && resolver.subjectOf(this.#recordId(s)) === undefined) unseen.push(s);
    }
    await this.#claimsOf(unseen);
    if (given.length > 0) {
      await this.#loadChains();
      for (const s of await this.#store.existingSubjects(given))
        if (!this.#chains?.absorbed(s)) this.#explicit.add(s);
    }
  }

  /** Reads the stored merges and splits once a batch names persons by id (see `#chains`). */
  async #loadChains(): Promise<void> {
    if (this.#chains || this.#chainsFromEngine()) return;
    const stored = await this.#store.identityDecisions();
    this.#chains = new MergeChains(stored.map((t) => JSON.parse(t) as MergeStep));
    // A resolver restored later starts from these same decisions.
    this.#chainsUpTo = stored.length;
  }

  /** Builds `#chains` from the engine, which holds every stored decision and this run's after them. */
  #chainsFromEngine(): boolean {
    if (!this.#resolver) return false;
    this.#chains = new MergeChains();
    this.#chainsUpTo = 0;
    this.#syncChains();
    return true;
  }

  /** Adds the resolver's decisions made since the last call (this run's merges and splits). */
  #syncChains(): void {
    const chains = this.#chains;
    if (!chains || !this.#resolver) return;
    const all = this.#resolver.decisions();
    for (let i = this.#chainsUpTo; i < all.length; i++) chains.add(all[i] as MergeStep);
    this.#chainsUpTo = all.length;
  }

  /**
   * The engine, restored, when the batch holds a representation never seen before; undefined
   * when every subject names its person or is a representation the store already links (looked
   * up by record id, `#stored`): a register delta re-sends its entries' subjects, and restoring
   * every record to resolve none of them anew cost most of a small delta's time.
   */
  async #engineFor(subjects: readonly Subject[]): Promise<Resolver | undefined> {
    this.#stored.clear();
    if (this.#resolver) return this.#resolver;
    const rids = new Set<string>();
    for (const s of subjects) if (s.subjectId === undefined) rids.add(this.#recordId(s));
    if (rids.size > 0) {
      const found = await this.#store.identityRecordSubjects([...rids]);
      if (found.size < rids.size) return (await this.#loadCandidates(subjects, found)) ?? this.load();
      this.#stored = found;
    }
    await this.start();
    return undefined;
  }

  /**
   * The engine restored from only what this batch can meet (docs/identity.md, "Scale"): the
   * stored records its new representations' blocking keys, strong keys and profiles reach, the
   * persons of its known representations, of the identifiers they repeat and of the operator's
   * key overrides, each person whole. Undefined when a whole restore is the better choice (or the
   * store's records are not all indexed).
   */
  async #loadCandidates(
    subjects: readonly Subject[],
    found: Map<string, string>,
  ): Promise<Resolver | undefined> {
    if (this.#candidates === 'never') return undefined;
    await this.#startCounted();
    const status = await this.#store.identityIndexStatus();
    if (!status.indexed) {
      this.#unindexed = true;
      return undefined;
    }
    const fresh = new Map<string, Subject>();
    for (const s of subjects) {
      if (s.subjectId !== undefined) continue;
      const rid = this.#recordId(s);
      if (!found.has(rid) && rid !== EMPTY_RECORD) fresh.set(rid, s);
    }
    if (
      this.#candidates === 'auto' &&
      !this.#bounded &&
      ((this.#candidateReads + fresh.size * CANDIDATE_READS) * 2 > status.records ||
        this.#candidateBatches >= CANDIDATE_BATCHES)
    )
      return undefined;
    const block = new Set<number>();
    const strong = new Set<number>();
    const sigs = new Set<number>();
    for (const [rid, s] of fresh) {
      const k = candidateKeys(subjectToRecord(s, rid));
      sigs.add(k.sig);
      for (const h of k.block) block.add(h);
      for (const h of k.strong) strong.add(h);
    }
    await this.#loadChains();
    const persons = new Set<string>(found.values());
    await this.#claimsOf(fresh.values());
    for (const s of fresh.values()) {
      for (const id of exactIdentifiers(s)) {
        const owner = this.#claims.get(`${id.kind}:${id.value}`);
        if (owner) persons.add(this.#current(owner));
      }
    }
    for (const [, subject] of parseState(status.state).strong) persons.add(this.#current(subject));
    let read = 0;
    const resolver = await this.#store.readIdentityCandidates(
      {
        block: [...block],
        strong: [...strong],
        sigs: [...sigs],
        subjects: [...persons],
        limit: this.#blockLimit,
      },
      (stored) => {
        this.#decisionsWritten = stored.decisions.length;
        this.#state = parseState(stored.state);
        const r = restoreResolver(stored, () => this.#newSubjectId(), this.#blockLimit);
        read = r.recordCount;
        return r;
      },
    );
    this.#candidateReads += read;
    this.#candidateBatches++;
    this.#resolver = resolver;
    this.#partial = true;
    return resolver;
  }

  /**
   * The engine an operator's verdict on the review of `recordId` needs, restored from only what
   * that verdict can touch (as a batch restores its candidates, docs/identity.md "Scale"): the
   * review item, every record of the record's person and of each candidate (as they are named
   * now), of the persons the operator's key overrides name, and of the first holder of each strong
   * key their records carry, closed over persons and profiles as `readIdentityCandidates` closes
   * them. The verdict then merges, refuses or keeps apart as on the engine restored from every
   * record; `operatorWrites` keeps the stored pairs kept apart it did not restore. Restores
   * everyone when the records are not all indexed or the engine is to be restored whole
   * (`candidates: 'never'`); undefined when no review is open on the record. `also`: persons the
   * verdict may name besides the candidates (a CLI's `--subject`), restored too.
   */
  async loadForReview(recordId: string, also: readonly string[] = []): Promise<Resolver | undefined> {
    const text = await this.#store.identityReview(recordId);
    if (text === undefined) return undefined;
    await this.#startCounted();
    const status = await this.#store.identityIndexStatus();
    if (this.#candidates === 'never' || !status.indexed) return this.load();
    await this.#loadChains();
    const item = JSON.parse(text) as ReviewItem;
    const own = (await this.#store.identityRecordSubjects([recordId])).get(recordId);
    const named = new Set<string>([item.subjectId, ...item.candidates.map((c) => c.subjectId), ...also]);
    if (own !== undefined) named.add(own);
    const persons = new Set<string>();
    for (const s of named) persons.add(this.#current(s));
    const decided = [...persons];
    for (const [, subject] of parseState(status.state).strong) persons.add(this.#current(subject));
    // The first holder of a strong key a moved record carries is where the key leads (unless an
    // operator moved it): without them, the merge's key overrides would name the wrong person.
    const strong = new Set<number>();
    const sigs = new Set<number>();
    for (const s of decided) {
      for (const r of await this.#store.identityRecordsOf(s)) {
        const k = candidateKeys(JSON.parse(r.body) as PersonRecord);
        sigs.add(k.sig);
        for (const h of k.strong) strong.add(h);
      }
    }
    const resolver = await this.#store.readIdentityCandidates(
      { block: [], strong: [...strong], sigs: [...sigs], subjects: [...persons], limit: this.#blockLimit },
      (stored) => {
        this.#decisionsWritten = stored.decisions.length;
        this.#state = parseState(stored.state);
        return restoreResolver({ ...stored, reviews: [text] }, () => this.#newSubjectId(), this.#blockLimit);
      },
    );
    this.#apartRestored = resolver.operatorState().apart.length;
    this.#resolver = resolver;
    this.#partial = true;
    return resolver;
  }

  /** Looks up (once) who holds the exact identifiers of `subjects`, into `#claims`. */
  async #claimsOf(subjects: Iterable<Subject>): Promise<void> {
    const want: Identifier[] = [];
    for (const s of subjects) {
      for (const id of exactIdentifiers(s)) {
        const k = `${id.kind}:${id.value}`;
        if (this.#claims.has(k)) continue;
        this.#claims.set(k, null);
        want.push(id);
      }
    }
    if (want.length > 0) {
      const found = await this.#store.findIdentifiers(want);
      for (const id of want) {
        const k = `${id.kind}:${id.value}`;
        this.#claims.set(k, found.get(k) ?? null);
      }
    }
  }

  /** The person an id names now: an id merged away names its survivor (splits aside). */
  #current(id: string): string {
    if (!this.#chains) this.#chainsFromEngine();
    this.#syncChains();
    return this.#chains ? this.#chains.follow(id).current : id;
  }

  #recordId(subject: Subject): string {
    // prepare and resolve see the same subject object: hash its text once.
    const seen = this.#bySubject.get(subject);
    if (seen !== undefined) return seen;
    // A source repeats the same subject text: its raw JSON is a cheaper memo key than the
    // canonical text, which is computed only on a miss.
    const raw = JSON.stringify(subject);
    let rid = this.#memo.get(raw);
    if (rid === undefined) {
      if (this.#memo.size >= MEMO_LIMIT) this.#memo = new Map();
      rid = recordIdOfKey(subjectKey(subject));
      this.#memo.set(raw, rid);
    }
    this.#bySubject.set(subject, rid);
    return rid;
  }

  resolve(subject: Subject, at?: number): Resolution {
    if (subject.subjectId !== undefined) return this.#given(subject.subjectId);
    const rid = this.#recordId(subject);
    const stored = this.#resolver ? undefined : this.#stored.get(rid);
    if (stored !== undefined) return { ok: true, subject: stored, created: false };
    const resolver = this.resolver;
    const known = resolver.subjectOf(rid);
    if (known !== undefined) return { ok: true, subject: known, created: false };
    if (rid === EMPTY_RECORD) {
      return {
        ok: false,
        code: 'CREDENCE_E_SUBJECT_UNRESOLVED',
        field: 'subject',
        reason: 'the subject carries neither a subjectId nor any identifier or attribute to resolve it by',
      };
    }

    const record = subjectToRecord(subject, rid);
    // An MRZ's two-digit birth year is read against the fact's date, kept with the record.
    if (record.mrz !== undefined && at !== undefined && Number.isFinite(at))
      record.mrz_as_of = new Date(at).toISOString().slice(0, 10);
    const before = this.#subjects.length;
    let res = resolver.resolve(record);
    res =
      res.decision === 'new' || res.decision === 'review'
        ? this.#exactLink(subject, res)
        : this.#exactJoin(subject, res);
    const index = resolver.indexKeysOf(rid);
    this.#records.push({
      recordId: rid,
      subject: res.subjectId,
      decision: res.decision,
      confidence: res.confidence,
      matched: res.matchedRecordId ?? null,
      body: JSON.stringify(record),
      link: JSON.stringify(res),
      ...(index ? { sig: index.sig, ...(index.keys ? { keys: index.keys } : {}) } : {}),
    });
    if (res.decision === 'review') {
      this.#reviews.push({
        recordId: rid,
        item: reviewText({ recordId: rid, subjectId: res.subjectId, candidates: res.reviewCandidates ?? [] }),
      });
    }
    for (const m of res.merged ?? []) this.#pendingQueued.push({ from: m, to: res.subjectId });
    for (const id of subjectIdentifiers(subject)) {
      const k = `${id.kind}:${id.value}`;
      // A claimed identifier has its row already (stored, or queued in this batch): the
      // store's insert would ignore it, so it is not sent again.
      if (this.#claims.get(k)) continue;
      this.#identifiers.push({ kind: id.kind, value: id.value, subject: res.subjectId });
      this.#claims.set(k, res.subjectId);
    }
    const created = this.#subjects.slice(before).includes(res.subjectId);
    return { ok: true, subject: res.subjectId, created };
  }

  /**
   * A record the model did not link, that repeats an identifier a person already holds exactly
   * (phone, account, e-mail, customer number: a hash lookup), joins that person, as
   * the exact resolver did, unless their resident IDs conflict. A review it settles is closed.
   */
  #exactLink(subject: Subject, res: IdResolution): IdResolution {
    const resolver = this.resolver;
    let refused: string[] | undefined;
    for (const id of exactIdentifiers(subject)) {
      const claimed = this.#claims.get(`${id.kind}:${id.value}`);
      if (!claimed) continue;
      const owner = claimed;
      if (owner === res.subjectId) continue;
      // An owner merged away since it claimed the identifier is its survivor now (an engine
      // restored from the store knows persons by their current id only).
      const current = this.#current(owner);
      // Their resident IDs conflict (or an operator kept them apart): not linked, and not
      // silently either, as the engine refuses a record bridging such persons.
      let why: string | undefined;
      try {
        why = resolver.mergeConflict(current, res.subjectId);
      } catch (e) {
        // A person the engine does not hold (no identity record): the merge below is refused too.
        if (e instanceof CredenceError) continue;
        throw e;
      }
      if (why !== undefined) {
        refused ??= [...(res.refused ?? [])];
        if (!refused.includes(current)) {
          resolver.refuseLink(res.recordId, current, `exact ${id.kind} match with ${current}, but ${why}`);
          refused.push(current);
        }
        continue;
      }
      const note = `exact ${id.kind} match, automatic`;
      const seqBefore = resolver.decisions().length;
      let merged: string;
      try {
        merged =
          res.decision === 'review'
            ? (resolver.decideReview(res.recordId, 'same', current, note) as { subjectId: string }).subjectId
            : resolver.merge(current, res.subjectId, note).subjectId;
      } catch (e) {
        if (e instanceof CredenceError) continue;
        throw e;
      }
      for (const d of resolver.decisions().slice(seqBefore)) this.#automatic.add(d.seq);
      const { reviewCandidates: _, ...rest } = res;
      return {
        ...rest,
        ...(refused && refused.length > 0 ? { refused } : {}),
        subjectId: merged,
        decision: 'deterministic',
        confidence: 1,
        evidence: [
          {
            field: id.kind,
            outcome: 'exact',
            weight: 0,
            detail: `held by ${owner} (exact identifier, hash lookup)`,
          },
          ...res.evidence,
        ],
      };
    }
    return refused && refused.length > 0 ? { ...res, refused } : res;
  }

  /**
   * A record the engine linked (by a strong key or the model) that repeats an identifier another
   * person holds exactly brings that person along, as `#exactLink` joins a new record to the
   * holder: the same records then make the same people in any order. Without it, a shop's record
   * (a misspelt name, a phone) that came before the person's resident ID kept a person of its own
   * when the record carrying the ID and that phone came later, and joined them when it came after.
   * Refused, and logged, where their resident IDs conflict or an operator kept them apart.
   */
  #exactJoin(subject: Subject, linked: IdResolution): IdResolution {
    const resolver = this.resolver;
    let res = linked;
    for (const id of exactIdentifiers(subject)) {
      const owner = this.#claims.get(`${id.kind}:${id.value}`);
      if (!owner) continue;
      const current = this.#current(owner);
      if (current === res.subjectId || res.refused?.includes(current)) continue;
      let why: string | undefined;
      try {
        why = resolver.mergeConflict(current, res.subjectId);
      } catch (e) {
        if (e instanceof CredenceError) continue;
        throw e;
      }
      if (why !== undefined) {
        resolver.refuseLink(res.recordId, current, `exact ${id.kind} match with ${current}, but ${why}`);
        res = { ...res, refused: [...(res.refused ?? []), current] };
        continue;
      }
      const seqBefore = resolver.decisions().length;
      let m: { subjectId: string; absorbed: string[] };
      try {
        m = resolver.merge(current, res.subjectId, `exact ${id.kind} match, automatic`);
      } catch (e) {
        if (e instanceof CredenceError) continue;
        throw e;
      }
      for (const d of resolver.decisions().slice(seqBefore)) this.#automatic.add(d.seq);
      res = {
        ...res,
        subjectId: m.subjectId,
        merged: [...(res.merged ?? []), ...m.absorbed],
        evidence: [
          {
            field: id.kind,
            outcome: 'exact',
            weight: 0,
            detail: `held by ${owner} (exact identifier, hash lookup): merged`,
          },
          ...res.evidence,
        ],
      };
    }
    return res;
  }

  #given(id: string): Resolution {
    this.#syncChains();
    if (this.#chains?.absorbed(id)) return this.#mergedAway(id, this.#chains);
    if (this.#explicit.has(id)) return { ok: true, subject: id, created: false };
    // A person this batch created is not in the store yet, but exists: a later line naming them
    // is accepted, as it would be had a batch ended between the two lines. (Only an id not
    // known otherwise gets here, so the scan of the batch's new people is rare.)
    if (GENERATED_ID.test(id) && this.#subjects.includes(id)) {
      this.#explicit.add(id);
      return { ok: true, subject: id, created: false };
    }
    if (GENERATED_ID.test(id)) {
      return {
        ok: false,
        code: 'CREDENCE_E_SUBJECT_NOT_FOUND',
        field: 'subject.subjectId',
        reason: `no person ${id}: ids of this form are assigned by Credence`,
      };
    }
    this.#explicit.add(id);
    this.#subjects.push(id);
    return { ok: true, subject: id, created: true };
  }

  /**
   * A fact naming an id merged into another person is that person's: stored under the id it
   * would have held nothing (no facts, records or consents), been scored on its own and kept a
   * score the person's opt-out did not reach. A survivor split since names no one person.
   */
  #mergedAway(id: string, chains: MergeChains): Resolution {
    const { current, splitSince } = chains.follow(id);
    if (splitSince.length > 0) {
      return {
        ok: false,
        code: 'CREDENCE_E_SUBJECT_AMBIGUOUS',
        field: 'subject.subjectId',
        reason: `${id} was merged into ${current}, which was split since (${splitSince.join(', ')}): send the current subject id`,
      };
    }
    return { ok: true, subject: current, created: false };
  }

  take(): ResolverWrites {
    this.#bySubject.clear();
    const out = { subjects: this.#subjects, identifiers: this.#identifiers };
    const decisions = this.#newDecisions();
    this.#identity = {
      records: this.#records,
      reviews: this.#reviews,
      subjectMoves: this.#pendingQueued.map((m) => ({ ...m, facts: false })),
      decisions,
    };
    this.#queued.push(...this.#pendingQueued);
    if (
      !this.#partial &&
      !this.#unindexed &&
      this.#resolver &&
      this.#resolver.recordCount > this.#maxRecords
    ) {
      // Over the memory bound: from now on each batch reads its own candidates.
      this.#bounded = true;
      this.#partial = true;
    }
    if (this.#partial) {
      // The next batch reads its own candidates, from the store this batch will have written.
      this.#syncChains();
      this.#resolver = undefined;
      this.#partial = false;
    }
    this.#subjects = [];
    this.#identifiers = [];
    this.#records = [];
    this.#reviews = [];
    this.#pendingQueued = [];
    return out;
  }

  /** The identity rows of the last `take`, for the same transaction (handed over once). */
  takeIdentity(): IdentityWrites | undefined {
    const w = this.#identity;
    this.#identity = undefined;
    return w;
  }

  #newDecisions(): { seq: number; body: string }[] {
    // Not restored: nothing was decided (and what is stored is counted when it is restored).
    if (!this.#resolver) return [];
    const all = this.#resolver.decisions();
    const out = all.slice(this.#decisionsWritten).map((d) => ({
      seq: d.seq,
      body: JSON.stringify(this.#automatic.has(d.seq) && d.kind === 'merge' ? { ...d, by: 'resolver' } : d),
    }));
    this.#decisionsWritten = all.length;
    return out;
  }

  /** The queued moves were settled (their transaction committed). */
  movesSettled(): void {
    this.#queued = [];
  }

  /**
   * What an operator action changed besides facts: new persons, decisions, and the operator
   * state (persons kept apart; where the strong keys of `movedRecords` lead now).
   */
  operatorWrites(movedRecords: readonly string[] = []): {
    subjects: string[];
    identity: IdentityWrites;
  } {
    const resolver = this.resolver;
    const now = resolver.operatorState();
    const strong = new Map(now.strong);
    const overrides = new Map(this.#state.strong);
    for (const rid of movedRecords) {
      for (const k of resolver.strongKeysOf(rid)) {
        const to = strong.get(k);
        if (to !== undefined) overrides.set(k, to);
      }
    }
    // An engine restored around one review holds only its persons' pairs: the stored ones stay, and
    // those the decision added follow (a restore names each pair's persons as they are now).
    const apart =
      this.#apartRestored === undefined
        ? now.apart
        : [...this.#state.apart, ...now.apart.slice(this.#apartRestored)];
    this.#state = { strong: [...overrides], apart };
    if (this.#apartRestored !== undefined) this.#apartRestored = now.apart.length;
    const subjects = this.#subjects;
    this.#subjects = [];
    return { subjects, identity: { decisions: this.#newDecisions(), state: JSON.stringify(this.#state) } };
  }

  reset(): void {
    // The in-memory resolver already holds the failed batch's records: restore it afresh.
    this.#resolver = undefined;
    this.#partial = false;
    this.#started = false;
    this.#counted = false;
    this.#stored.clear();
    this.#memo.clear();
    this.#bySubject.clear();
    this.#claims.clear();
    this.#explicit.clear();
    this.#chains = undefined;
    this.#chainsUpTo = 0;
    this.#apartRestored = undefined;
    this.#queued = [];
    this.#pendingQueued = [];
    this.#subjects = [];
    this.#identifiers = [];
    this.#records = [];
    this.#reviews = [];
    this.#identity = undefined;
  }
}
