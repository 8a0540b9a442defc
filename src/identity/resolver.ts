import { CredenceError } from '../core/errors/index.js';
import { UnionFind } from './clusters/union-find.js';
import { Float64Column, Int32Column, Uint8Column } from './columns.js';
import { hashEnd, hashFeed, hashStart } from './field-hash.js';
import { BLOCK_LIMIT, type IndexKeys, indexKeys } from './index-keys.js';
import { BlockIndex, hashKey } from './match/block-index.js';
import { defaultModel, type MatchModel } from './match/model.js';
import { PairScorer, TermFrequencies } from './match/scorer.js';
import {
  blockingKeys,
  hasStrongKey,
  isMaskedOnly,
  lookupKeys,
  type Profile,
  type ProfileOptions,
  profileHash,
  sameProfile,
  strongKeys,
  toProfile,
} from './profile.js';
import type {
  IdentityDecision,
  MergeResult,
  ResolverOptions,
  ResolverSnapshot,
  ReviewItem,
  ScoredCandidates,
  SplitResult,
} from './resolver-types.js';
import { PERSON_FIELDS, type PersonRecord, type Resolution, type ResolutionDecision } from './types.js';
import { compareMaskedId } from './validate/masked-id.js';

const DECISIONS: readonly ResolutionDecision[] = ['new', 'deterministic', 'probabilistic', 'review'];
/**
 * A restored profile's self-weight, not computed yet: a restore of millions of records would
 * compare each with itself, when only a profile met again needs it (`#selfOf`).
 */
const SELF_PENDING = Number.NEGATIVE_INFINITY;
const RAW_MEMO_LIMIT = 200_000;
const SHARED_LIMIT = 500_000;

/**
 * A 53-bit hash of a record's raw fields (not its id): re-sending an id with other content is
 * caught without keeping the content. Two different contents agree with odds of 2^-53.
 */
function rawHash(r: PersonRecord): number {
  hashStart();
  for (let i = 1; i < PERSON_FIELDS.length; i++) {
    const v = r[PERSON_FIELDS[i] as keyof PersonRecord];
    hashFeed(v === undefined || v === null ? undefined : `${v}`, true);
  }
  return hashEnd();
}

// Joined, not built with `+=`: a key built by concatenation is a tree of ~14 cons strings, and
// the memo keeps up to RAW_MEMO_LIMIT of them (44 MB of cons nodes at 500,000 ingested lines).
function rawKey(r: PersonRecord): string {
  const parts: string[] = [];
  for (let i = 1; i < PERSON_FIELDS.length; i++)
    parts.push(`${r[PERSON_FIELDS[i] as keyof PersonRecord] ?? ''}`);
  parts.push('');
  return parts.join('\u0001');
}

/**
 * Incremental identity resolution: each record is resolved on arrival against everyone
 * known, through hash lookups on validated strong identifiers, then blocking and
 * Fellegi–Sunter scoring. Keeps its indexes in memory; `snapshot()`/`restore()` persist it.
 *
 * @example
 * const r = new Resolver();
 * r.resolve({ record_id: 'a', full_name: '王伟', national_id: '11010519491231002X' }).decision // 'new'
 * r.resolve({ record_id: 'b', given_name: 'Wei', surname: 'Wang', national_id: '11010519491231002X' }).decision
 * // 'deterministic', same subjectId
 */
export class Resolver {
  readonly #newSubjectId: (() => string) | undefined;
  readonly #model: MatchModel;
  readonly #live: boolean;
  readonly #scorer: PairScorer;
  readonly #profileOpts: ProfileOptions;
  readonly #blocks: BlockIndex;

  // Records, by arrival index: the id and a hash of the content; the content itself only when
  // kept (`keepRecords`), for `snapshot`.
  readonly #recordIds: string[] = [];
  readonly #recordRaw = new Float64Column();
  readonly #records: PersonRecord[] | undefined;
  readonly #useRawMemo: boolean;
  readonly #contentIds: boolean;
  readonly #recordIndex = new Map<string, number>();
  readonly #recordProfile = new Int32Column();
  readonly #recordNode = new Int32Column();
  readonly #recordDecision = new Uint8Column();
  readonly #recordConfidence = new Float64Column();
  readonly #recordMatched = new Int32Column();
  // Each person's records as a linked list over record indexes (head and tail per root node,
  // next per record), so merging and listing a person cost the size of that person, not of
  // everyone known.
  readonly #memberNext = new Int32Column();
  readonly #memberHead = new Int32Column();
  readonly #memberTail = new Int32Column();

  // Distinct normalised profiles.
  readonly #profiles: Profile[] = [];
  readonly #profileRep = new Int32Column();
  readonly #profileSelf = new Float64Column();
  /** Each profile's first record: the one the store indexes it by (`indexKeysOf`). */
  readonly #profileFirst = new Int32Column();
  /** Each profile's signature (`profileHash`), and the last registered profile's key hashes. */
  readonly #profileSig = new Float64Column();
  #lastHashesOf = -1;
  #lastHashes: ArrayLike<number> = [];
  readonly #bySignature = new Map<number, number>();
  #rawMemo = new Map<string, number>();
  readonly #shared = new Map<string, string>();
  readonly #mark = new Int32Column();
  readonly #cands: number[] = [];
  #query = 0;
  // The best candidate profile per person during one `resolve`: slots in reused arrays, a
  // person's slot found through a stamp per union-find node (no Map and no object per candidate).
  readonly #bestRoot: number[] = [];
  readonly #bestW: number[] = [];
  readonly #bestPid: number[] = [];
  #nBest = 0;
  readonly #rootStamp = new Int32Column();
  readonly #rootSlot = new Int32Column();
  #stamp = 0;

  // Persons.
  readonly #uf = new UnionFind();
  readonly #subjectName: string[] = [];
  readonly #subjectByName = new Map<string, number>();
  /** Each person's valid resident IDs: the one ID itself, as most hold one, else a set. */
  readonly #subjectIds = new Map<number, PersonIds>();
  /** Persons (roots) one of whose records carries a masked resident ID. */
  readonly #masked = new Set<number>();
  readonly #strong = new Map<string, number>();
  readonly #apart: [number, number][] = [];
  readonly #reviews = new Map<string, ReviewItem>();
  readonly #decisions: IdentityDecision[] = [];
  /** Record id → indexes in `#decisions` of the `refused-merge`s its resolution logged. */
  readonly #refusals = new Map<string, number[]>();
  #seq = 1;

  constructor(opts: ResolverOptions = {}) {
    this.#newSubjectId = opts.newSubjectId;
    this.#model = opts.model ?? defaultModel();
    this.#live = (opts.termFrequencies ?? (this.#model.tf ? 'model' : 'live')) === 'live';
    const tf = this.#live ? new TermFrequencies() : TermFrequencies.from(this.#model.tf);
    this.#scorer = new PairScorer(this.#model, tf);
    this.#profileOpts = opts.profile ?? {};
    this.#blocks = new BlockIndex(opts.blockLimit ?? BLOCK_LIMIT);
    this.#records = opts.keepRecords === false ? undefined : [];
    this.#useRawMemo = opts.rawMemo !== false;
    this.#contentIds = opts.contentIds === true;
  }

  /**
   * Resolves one record against everyone known. Re-sending the same record returns its
   * resolution. With `{ evidence: false }` the field evidence is left out (bulk paths);
   * `explain(recordId)` gives it later.
   */
  resolve(
    record: PersonRecord,
    opts: { evidence?: boolean; profile?: Profile; scored?: ScoredCandidates } = {},
  ): Resolution {
    const ev = opts.evidence !== false;
    const known = this.#recordIndex.get(record.record_id);
    if (known !== undefined) {
      if (!this.#contentIds && this.#recordRaw.data[known] !== rawHash(record)) {
        throw new CredenceError(
          'CREDENCE_E_RECORD_CONFLICT',
          `record ${record.record_id} was already resolved with different content`,
          { field: 'record_id' },
        );
      }
      return this.explain(record.record_id) as Resolution;
    }
    const { pid, isNew } = this.#profileFor(record, true, opts.profile, opts.scored?.hash);
    const p = this.#profiles[pid] as Profile;
    const rIdx = this.#recordIds.length;
    const pre = opts.scored;
    if (pre && pre.pid !== pid) throw scoredMismatch(record.record_id);
    const self = isNew ? Number.NaN : this.#selfOf(pid);
    if (!Number.isNaN(self)) {
      if (pre && pre.count >= 0) throw scoredMismatch(record.record_id);
      const rep = this.#profileRep.data[pid] as number;
      const node = this.#uf.find(this.#recordNode.data[rep] as number);
      const decision = hasStrongKey(p) ? 1 : 2;
      const conf = this.#scorer.probability(self);
      this.#addRecord(record, pid, node, decision, conf, rep);
      return this.#resolution(rIdx, [], [], ev);
    }

    this.#beginBest();
    const reviewFloor = this.#scorer.compiled.reviewWeight;
    let hashes: number[] | undefined;
    if (pre) {
      // Scored ahead (a batch): the same candidates and weights as the loop below.
      if (pre.count < 0) throw scoredMismatch(record.record_id);
      for (let i = pre.at; i < pre.at + pre.count; i++) {
        const other = pre.ids[i] as number;
        const w = pre.weights[i] as number;
        this.#offer(other, w);
      }
    } else {
      // Marks are 32-bit: start them over before the counter would wrap.
      if (this.#query === 0x7fffffff) {
        this.#mark.data.fill(0);
        this.#query = 0;
      }
      const q = ++this.#query;
      const mark = this.#mark.data;
      hashes = blockingKeys(p).map(hashKey);
      const cands = this.#cands;
      const nc = this.#blocks.collect(hashes, cands);
      for (let i = 0; i < nc; i++) {
        const other = cands[i] as number;
        if (mark[other] === q) continue;
        mark[other] = q;
        const w = this.#scorer.weightAbove(p, this.#profiles[other] as Profile, reviewFloor);
        this.#offer(other, w);
      }
    }

    const det: number[] = [];
    for (const key of lookupKeys(p)) {
      const node = this.#strong.get(key);
      if (node === undefined) continue;
      const root = this.#uf.find(node);
      if (!det.includes(root)) det.push(root);
    }
    const ownId = p.nationalId;
    const joinable = (root: number) => {
      if (ownId === undefined) return true;
      const ids = this.#subjectIds.get(root);
      if (ids !== undefined && idCount(ids) > 0) return hasId(ids, ownId);
      // A person known only by masked IDs: one must fit (rare, so read from their records).
      return !this.#masked.has(root) || this.#maskFits(root, ownId);
    };
    const linkW = this.#scorer.compiled.linkWeight;
    const reviewW = this.#scorer.compiled.reviewWeight;
    const maskedOnly = isMaskedOnly(p);
    const targets = det.filter(joinable);
    // Persons a strong key of the record names whose resident IDs conflict with the record's own:
    // two valid IDs are two people, so no link, no review an operator could only answer with a
    // refused merge (`merge` refuses them), and a `refused-merge` decision says why. Rare: only a
    // record carrying a resident ID and another strong key held by someone else gets here.
    const conflicted =
      targets.length < det.length ? det.filter((root) => !targets.includes(root)) : undefined;
    // Only candidates worth a review or a link need ranking; usually none or one.
    const ranked: [number, { w: number; pid: number }][] = [];
    let topW = Number.NEGATIVE_INFINITY;
    const nBest = this.#nBest;
    for (let b = 0; b < nBest; b++) {
      const w = this.#bestW[b] as number;
      const root = this.#bestRoot[b] as number;
      if (conflicted?.includes(root)) continue;
      if (w > topW) topW = w;
      if (w >= reviewW) ranked.push([root, { w, pid: this.#bestPid[b] as number }]);
    }
    if (ranked.length > 1) ranked.sort((a, b) => b[1].w - a[1].w || a[0] - b[0]);
    if (!maskedOnly) {
      for (const [root, c] of ranked)
        if (c.w >= linkW && !targets.includes(root) && joinable(root)) targets.push(root);
    }
    const refused: string[] = [];
    if (conflicted) for (const root of conflicted) refused.push(this.#subjectName[root] as string);

    if (targets.length > 0) {
      let node = targets[0] as number;
      const merged: string[] = [];
      for (const other of targets.slice(1)) {
        const a = this.#uf.find(node);
        const b = this.#uf.find(other);
        if (a === b) continue;
        if (!this.#canMerge(a, b)) {
          refused.push(this.#subjectName[b] as string);
          this.#log({
            kind: 'refused-merge',
            subjects: [this.#subjectName[a] as string, this.#subjectName[b] as string],
            recordId: record.record_id,
            reason:
              'conflicting resident IDs (full, or where a masked one shows them) or an operator decision keeps them apart',
          });
          continue;
        }
        node = this.#union(a, b, 'resolver', record.record_id);
        merged.push(this.#subjectName[a === node ? b : a] as string);
      }
      const primary = targets[0] as number;
      let hit = this.#bestSlot(primary);
      if (hit < 0) hit = this.#bestSlot(this.#uf.find(node));
      const decision = det.length > 0 && targets.includes(det[0] as number) ? 1 : 2;
      const conf = hit >= 0 ? this.#scorer.probability(this.#bestW[hit] as number) : 1;
      const matched = hit >= 0 ? (this.#profileRep.data[this.#bestPid[hit] as number] as number) : -1;
      this.#addRecord(record, pid, this.#uf.find(node), decision, conf, matched);
      if (isNew) this.#registerProfile(pid, rIdx, false, hashes, pre);
      if (conflicted) this.#logConflicts(record.record_id, p, this.#uf.find(node), conflicted);
      return this.#resolution(rIdx, merged, refused, ev);
    }

    const node = this.#newSubject();
    const top = ranked[0];
    if (top) {
      const candidates = ranked
        .filter(([, c]) => c.w >= reviewW)
        .slice(0, 3)
        .map(([root, c]) => ({
          subjectId: this.#subjectName[root] as string,
          confidence: round4(this.#scorer.probability(c.w)),
          evidence: this.#scorer.evidence(p, this.#profiles[c.pid] as Profile),
        }));
      this.#addRecord(
        record,
        pid,
        node,
        3,
        this.#scorer.probability(top[1].w),
        this.#profileRep.data[top[1].pid] as number,
      );
      this.#reviews.set(record.record_id, {
        recordId: record.record_id,
        subjectId: this.#subjectName[node] as string,
        candidates,
      });
    } else {
      const conf = topW > Number.NEGATIVE_INFINITY ? 1 - this.#scorer.probability(topW) : 1;
      this.#addRecord(record, pid, node, 0, conf, -1);
    }
    if (isNew) this.#registerProfile(pid, rIdx, false, hashes, pre);
    if (conflicted) this.#logConflicts(record.record_id, p, node, conflicted);
    return this.#resolution(rIdx, [], refused, ev);
  }

  /** The person a record belongs to now. */
  subjectOf(recordId: string): string | undefined {
    const r = this.#recordIndex.get(recordId);
    return r === undefined ? undefined : this.#nameOf(r);
  }

  /** The records of a person. */
  recordsOf(subjectId: string): string[] {
    const node = this.#subjectByName.get(subjectId);
    if (node === undefined) return [];
    return this.#members(this.#uf.find(node)).map((i) => this.#recordIds[i] as string);
  }

  /** A record's current link with its evidence (against the record it matched), for people and export. */
  explain(recordId: string): Resolution | undefined {
    const r = this.#recordIndex.get(recordId);
    if (r === undefined) return undefined;
    return this.#resolution(r, [], this.#refusedOf(recordId));
  }

  /** The persons a record's resolution was refused to link (kept apart), by their current ids. */
  #refusedOf(recordId: string): string[] {
    const at = this.#refusals.get(recordId);
    if (!at) return [];
    const out: string[] = [];
    for (const i of at) {
      const d = this.#decisions[i] as Extract<IdentityDecision, { kind: 'refused-merge' }>;
      const node = this.#subjectByName.get(d.subjects[1]);
      const name = node === undefined ? d.subjects[1] : this.#nameOf2(node);
      if (!out.includes(name)) out.push(name);
    }
    return out;
  }

  /** Matches waiting for an operator. */
  reviewQueue(): ReviewItem[] {
    return [...this.#reviews.values()];
  }

  /** History of merges, splits, review verdicts and refused merges. */
  decisions(): readonly IdentityDecision[] {
    return this.#decisions;
  }

  /**
   * An operator decides a review: `same` merges the record's person into the candidate,
   * `different` keeps them apart for good. Recorded either way.
   */
  decideReview(
    recordId: string,
    verdict: 'same' | 'different',
    subjectId: string,
    note?: string,
  ): MergeResult | undefined {
    const item = this.#reviews.get(recordId);
    if (!item) throw new CredenceError('CREDENCE_E_NOT_FOUND', `no review is open for record ${recordId}`);
    if (verdict === 'same') {
      // Refused before anything is recorded: a refused verdict left the review closed and a
      // `same` in the history for persons never merged.
      const own = this.subjectOf(recordId) as string;
      const why = this.#mergeConflict(this.#uf.find(this.#node(own)), this.#uf.find(this.#node(subjectId)));
      if (why !== undefined) throw conflictError(subjectId, own, why);
    }
    this.#reviews.delete(recordId);
    this.#log({ kind: 'review', recordId, verdict, subjectId, ...(note ? { note } : {}) });
    const own = this.subjectOf(recordId) as string;
    if (verdict === 'same') return this.merge(subjectId, own, note);
    this.#apart.push([this.#node(own), this.#node(subjectId)]);
    return undefined;
  }

  /**
   * What keeps two persons from being merged, in words (no ID values), or undefined when `merge`
   * would merge them: different valid resident IDs, an operator's decision, or resident IDs that
   * differ where a masked one shows them.
   */
  mergeConflict(subjectA: string, subjectB: string): string | undefined {
    const a = this.#uf.find(this.#node(subjectA));
    const b = this.#uf.find(this.#node(subjectB));
    if (a === b) return undefined;
    const why = this.#mergeConflict(a, b);
    return why === undefined ? undefined : conflictWords(why);
  }

  /**
   * Records that a record was not linked to a person it names (a `refused-merge` decision, which
   * `explain` shows under `refused`): for a caller that links records by other means (ingest's
   * exact identifiers) and found `mergeConflict`.
   */
  refuseLink(recordId: string, subjectId: string, reason: string): void {
    const own = this.subjectOf(recordId);
    if (own === undefined) throw new CredenceError('CREDENCE_E_NOT_FOUND', `no record ${recordId}`);
    this.#log({
      kind: 'refused-merge',
      subjects: [own, this.#nameOf2(this.#node(subjectId))],
      recordId,
      reason,
    });
  }

  /**
   * Merges two persons (an operator's decision, recorded). The older id survives; refused when
   * their resident IDs conflict (full, or where a masked one shows them) or an operator has kept
   * them apart, as a record may not bridge them either. No note overrides it.
   */
  merge(subjectA: string, subjectB: string, note?: string): MergeResult {
    const a = this.#uf.find(this.#node(subjectA));
    const b = this.#uf.find(this.#node(subjectB));
    if (a === b) return { subjectId: this.#subjectName[a] as string, absorbed: [], movedRecords: [] };
    const why = this.#mergeConflict(a, b);
    if (why !== undefined) throw conflictError(subjectA, subjectB, why);
    const gone = Math.max(a, b);
    const movedRecords = this.recordsOf(this.#subjectName[gone] as string);
    const keep = this.#union(a, b, 'operator', undefined, note);
    return {
      subjectId: this.#subjectName[keep] as string,
      absorbed: [this.#subjectName[gone] as string],
      movedRecords,
    };
  }

  /** Moves records to a new person (an operator's decision, recorded); they stay apart afterwards. */
  split(recordIds: string[], note?: string): SplitResult {
    if (recordIds.length === 0)
      throw new CredenceError('CREDENCE_E_USAGE', 'split needs at least one record');
    const idx = recordIds.map((id) => {
      const r = this.#recordIndex.get(id);
      if (r === undefined) throw new CredenceError('CREDENCE_E_NOT_FOUND', `no record ${id}`);
      return r;
    });
    const root = this.#uf.find(this.#recordNode.data[idx[0] as number] as number);
    if (idx.some((r) => this.#uf.find(this.#recordNode.data[r] as number) !== root)) {
      throw new CredenceError('CREDENCE_E_USAGE', 'the records to split off belong to different persons');
    }
    const node = this.#newSubject();
    const moving = new Set(idx);
    const staying = this.#members(root).filter((r) => !moving.has(r));
    for (const r of idx) this.#recordNode.data[r] = node;
    this.#setMembers(root, staying);
    this.#setMembers(
      node,
      [...moving].sort((a, b) => a - b),
    );
    this.#rebuildPerson(root);
    this.#rebuildPerson(node);
    this.#apart.push([root, node]);
    const from = this.#subjectName[root] as string;
    const to = this.#subjectName[node] as string;
    this.#log({ kind: 'split', from, to, records: [...recordIds], ...(note ? { note } : {}) });
    return { subjectId: to, from, movedRecords: [...recordIds] };
  }

  /** Plain JSON to persist; `Resolver.restore` rebuilds the same state without re-resolving. */
  snapshot(): ResolverSnapshot {
    const records = this.#records;
    if (!records) {
      throw new CredenceError(
        'CREDENCE_E_INTERNAL',
        'this resolver does not keep its records (keepRecords: false), so it has no snapshot',
      );
    }
    const model = structuredClone(this.#model);
    if (this.#live) model.tf = this.#scorer.tf.toJSON();
    return {
      version: 1,
      model,
      liveTermFrequencies: this.#live,
      nextSeq: this.#seq,
      records: records.map((record, i) => {
        const m = this.#recordMatched.data[i] as number;
        return {
          record,
          subjectId: this.#nameOf(i),
          decision: DECISIONS[this.#recordDecision.data[i] as number] as ResolutionDecision,
          confidence: this.#recordConfidence.data[i] as number,
          ...(m >= 0 ? { matchedRecordId: this.#recordIds[m] as string } : {}),
        };
      }),
      ...this.operatorState(),
      reviews: this.reviewQueue(),
      decisions: [...this.#decisions],
    };
  }

  /**
   * `s.records` may be any iterable (a generator that parses each record as it is reached keeps
   * a large restore from holding every record twice). `strong`, `apart` and `reviews` are read
   * only after the records are (a streamed restore filters them by the persons it has met).
   */
  static restore(
    s: Omit<ResolverSnapshot, 'records'> & { records: Iterable<ResolverSnapshot['records'][number]> },
    opts: Omit<ResolverOptions, 'model' | 'termFrequencies'> = {},
  ): Resolver {
    const r = new Resolver({
      ...opts,
      model: s.model,
      termFrequencies: s.liveTermFrequencies ? 'live' : 'model',
    });
    if (s.liveTermFrequencies) {
      // Live counts continue from where they were, rather than being recounted.
      const tf = TermFrequencies.from(s.model.tf);
      r.#scorer.tf.total = tf.total;
      for (const [k, v] of tf.given) r.#scorer.tf.given.set(k, v);
      for (const [k, v] of tf.surname) r.#scorer.tf.surname.set(k, v);
    }
    r.#seq = s.nextSeq;
    for (const e of s.records) {
      const node = r.#subjectByName.get(e.subjectId) ?? r.#newSubject(e.subjectId);
      const { pid, isNew } = r.#profileFor(e.record, false);
      const matched = e.matchedRecordId !== undefined ? (r.#recordIndex.get(e.matchedRecordId) ?? -1) : -1;
      const rIdx = r.#recordIds.length;
      r.#addRecord(e.record, pid, node, DECISIONS.indexOf(e.decision), e.confidence, matched);
      if (isNew) r.#registerProfile(pid, rIdx, true);
      else r.#registerStrong(r.#profiles[pid] as Profile, node);
    }
    // Strong keys as they were (an operator split may have moved some), not as replayed.
    // A person an operator split every record away from holds none, yet may be kept apart.
    const node = (subject: string) => r.#subjectByName.get(subject) ?? r.#newSubject(subject);
    for (const [k, subject] of s.strong ?? []) r.#strong.set(k, node(subject));
    for (const [a, b] of s.apart) r.#apart.push([node(a), node(b)]);
    for (const item of s.reviews) r.#reviews.set(item.recordId, item);
    for (const d of s.decisions) {
      if (d.kind === 'refused-merge' && d.recordId !== undefined)
        r.#noteRefusal(d.recordId, r.#decisions.length);
      r.#decisions.push(d);
    }
    return r;
  }

  /** Where each strong key leads now, and the persons kept apart: what operators' actions leave. */
  operatorState(): Pick<ResolverSnapshot, 'strong' | 'apart'> {
    return {
      strong: [...this.#strong].map(([k, node]) => [k, this.#nameOf2(node)]),
      apart: this.#apart.map(([a, b]) => [this.#nameOf2(a), this.#nameOf2(b)]),
    };
  }

  /** The strong keys a record carries (validated resident ID, passport, account, KYC phone). */
  strongKeysOf(recordId: string): string[] {
    const r = this.#recordIndex.get(recordId);
    return r === undefined
      ? []
      : strongKeys(this.#profiles[this.#recordProfile.data[r] as number] as Profile);
  }

  /**
   * What the store indexes a record by (`IndexKeys`): its profile's signature, and on the first
   * record of a profile its blocking and strong keys, so a later batch reads its candidates back.
   */
  indexKeysOf(recordId: string): IndexKeys | undefined {
    const r = this.#recordIndex.get(recordId);
    if (r === undefined) return undefined;
    const pid = this.#recordProfile.data[r] as number;
    const sig = this.#profileSig.data[pid] as number;
    if (this.#profileFirst.data[pid] !== r) return { sig };
    const p = this.#profiles[pid] as Profile;
    return indexKeys(p, sig, pid === this.#lastHashesOf ? this.#lastHashes : undefined);
  }

  get recordCount(): number {
    return this.#recordIds.length;
  }

  // --- internals -----------------------------------------------------------------------------

  #profileFor(
    record: PersonRecord,
    useMemo = true,
    given?: Profile,
    hash?: number,
  ): { pid: number; isNew: boolean } {
    const memoOn = useMemo && !given && this.#useRawMemo;
    const raw = memoOn ? rawKey(record) : '';
    const memo = memoOn ? this.#rawMemo.get(raw) : undefined;
    if (memo !== undefined) return { pid: memo, isNew: false };
    const p = given ?? toProfile(record, this.#profileOpts);
    const h = hash ?? profileHash(p);
    const existing = this.#bySignature.get(h);
    let pid: number;
    let isNew = false;
    if (existing !== undefined && sameProfile(this.#profiles[existing] as Profile, p)) pid = existing;
    else {
      pid = this.#profiles.length;
      this.#profiles.push(this.#shareStrings(p));
      this.#profileRep.push(-1);
      this.#profileSelf.push(Number.NaN);
      this.#profileFirst.push(this.#recordIds.length);
      this.#profileSig.push(h);
      this.#mark.push(0);
      if (existing === undefined) this.#bySignature.set(h, pid);
      isNew = true;
    }
    if (!memoOn) return { pid, isNew };
    if (this.#rawMemo.size >= RAW_MEMO_LIMIT) this.#rawMemo = new Map();
    this.#rawMemo.set(raw, pid);
    return { pid, isNew };
  }

  /**
   * Points a kept profile's common values (names, birth dates, places, address words) at one
   * shared copy of each: millions of profiles stay in memory, and these values repeat across
   * people. Bounded: past `SHARED_LIMIT` distinct values, new ones are kept as they are.
   */
  #shareStrings(p: Profile): Profile {
    if (p.given !== undefined) p.given = this.#share(p.given);
    if (p.surname !== undefined) p.surname = this.#share(p.surname);
    if (p.dob !== undefined) p.dob = this.#share(p.dob);
    if (p.city !== undefined) p.city = this.#share(p.city);
    if (p.postcode !== undefined) p.postcode = this.#share(p.postcode);
    const words = p.addressTokens;
    if (words) for (let i = 0; i < words.length; i++) words[i] = this.#share(words[i] as string);
    return p;
  }

  #share(v: string): string {
    const seen = this.#shared.get(v);
    if (seen !== undefined) return seen;
    if (this.#shared.size < SHARED_LIMIT) this.#shared.set(v, v);
    return v;
  }

  #registerProfile(
    pid: number,
    rIdx: number,
    restoring = false,
    hashes?: number[],
    pre?: ScoredCandidates,
  ): void {
    const p = this.#profiles[pid] as Profile;
    if (pre) this.#blocks.addHashed(pid, pre.keyHash, pre.keyFrom, pre.keyTo);
    else {
      const h = hashes ?? blockingKeys(p).map(hashKey);
      this.#blocks.addHashed(pid, h);
      // Ingest asks for them right after (`indexKeysOf`), to store with the record.
      this.#lastHashesOf = pid;
      this.#lastHashes = h;
    }
    // A restore continues the stored term counts rather than counting again.
    if (this.#live && !restoring) this.#scorer.tf.add(p);
    // Frozen term counts give the same weight whenever it is computed; live ones keep the old order.
    if (restoring && !this.#live) this.#profileSelf.data[pid] = SELF_PENDING;
    else this.#setSelf(pid, pre && !Number.isNaN(pre.self) ? pre.self : this.#scorer.weight(p, p));
    this.#registerStrong(p, this.#recordNode.data[rIdx] as number);
  }

  /** An identical later record joins the same person only if the profile says enough on its own. */
  #setSelf(pid: number, self: number): number {
    const p = this.#profiles[pid] as Profile;
    const v = self >= this.#scorer.compiled.linkWeight && !isMaskedOnly(p) ? self : Number.NaN;
    this.#profileSelf.data[pid] = v;
    return v;
  }

  /** A known profile's self-weight when it links on its own, else NaN (computed once, on demand). */
  #selfOf(pid: number): number {
    const v = this.#profileSelf.data[pid] as number;
    if (v !== SELF_PENDING) return v;
    const p = this.#profiles[pid] as Profile;
    return this.#setSelf(pid, this.#scorer.weight(p, p));
  }

  /** Called right after `#addRecord` of a record with profile `p`, which has noted its resident ID. */
  #registerStrong(p: Profile, node: number): void {
    const root = this.#uf.find(node);
    for (const key of strongKeys(p)) if (!this.#strong.has(key)) this.#strong.set(key, root);
  }

  #addRecord(
    record: PersonRecord,
    pid: number,
    node: number,
    decision: number,
    conf: number,
    matched: number,
  ): void {
    const r = this.#recordIds.length;
    this.#records?.push(record);
    this.#recordIds.push(record.record_id);
    if (!this.#contentIds) this.#recordRaw.push(rawHash(record));
    this.#recordIndex.set(record.record_id, r);
    this.#recordProfile.push(pid);
    this.#recordNode.push(node);
    this.#recordDecision.push(decision);
    this.#recordConfidence.push(conf);
    this.#recordMatched.push(matched);
    this.#profileRep.data[pid] = r;
    const root = this.#uf.find(node);
    this.#memberNext.push(-1);
    const tail = this.#memberTail.data[root] as number;
    if (tail >= 0) this.#memberNext.data[tail] = r;
    else this.#memberHead.data[root] = r;
    this.#memberTail.data[root] = r;
    const p = this.#profiles[pid] as Profile;
    if (p.nationalId) this.#addId(root, p.nationalId);
    if (p.maskedId) this.#masked.add(root);
  }

  #addId(root: number, id: string): void {
    const ids = this.#subjectIds.get(root);
    if (ids === undefined) this.#subjectIds.set(root, id);
    else if (typeof ids !== 'string') ids.add(id);
    else if (ids !== id) this.#subjectIds.set(root, new Set([ids, id]));
  }

  #resolution(r: number, merged: string[], refused: string[] = [], withEvidence = true): Resolution {
    const recordId = this.#recordIds[r] as string;
    const p = this.#profiles[this.#recordProfile.data[r] as number] as Profile;
    const m = this.#recordMatched.data[r] as number;
    const decision = DECISIONS[this.#recordDecision.data[r] as number] as ResolutionDecision;
    const res: Resolution = {
      recordId,
      subjectId: this.#nameOf(r),
      decision,
      confidence: round4(this.#recordConfidence.data[r] as number),
      evidence: [],
    };
    if (m >= 0 && withEvidence) {
      const other = this.#profiles[this.#recordProfile.data[m] as number] as Profile;
      res.evidence = this.#scorer.evidence(p, other);
      if (decision !== 'review') res.matchedRecordId = this.#recordIds[m] as string;
    }
    for (const note of p.notes)
      res.evidence.push({ field: 'validation', outcome: 'not-trusted', weight: 0, detail: note });
    const review = this.#reviews.get(recordId);
    if (review) res.reviewCandidates = review.candidates;
    if (merged.length > 0) res.merged = merged;
    if (refused.length > 0) res.refused = refused;
    return res;
  }

  #conflicts(a: PersonIds | undefined, b: PersonIds | undefined): boolean {
    if (a === undefined || b === undefined || idCount(a) === 0 || idCount(b) === 0) return false;
    for (const x of eachId(b)) if (hasId(a, x)) return false;
    return true;
  }

  #canMerge(a: number, b: number): boolean {
    return this.#mergeConflict(a, b) === undefined;
  }

  /**
   * Why two persons (roots) are not one: their valid resident IDs differ, an operator kept them
   * apart, or a masked ID of one disagrees with every ID of the other on a character the mask
   * shows (the masked-ID conflict: the visible characters are those of the real ID). Undefined
   * when nothing keeps them apart.
   */
  #mergeConflict(a: number, b: number): string | undefined {
    if (this.#conflicts(this.#subjectIds.get(a), this.#subjectIds.get(b))) return 'resident IDs';
    for (const [x, y] of this.#apart) {
      const rx = this.#uf.find(x);
      const ry = this.#uf.find(y);
      if ((rx === a && ry === b) || (rx === b && ry === a)) return 'apart';
    }
    return this.#maskedConflict(a, b);
  }

  /**
   * Which parts of the resident IDs differ when every ID-like value (valid or masked) of `a`
   * disagrees with every one of `b` on a visible character and at least one is masked (two full
   * IDs are `#conflicts`'s); undefined otherwise. Reads both persons' records: only merges and a
   * record bridging persons ask, never a plain link.
   */
  #maskedConflict(a: number, b: number): string | undefined {
    const xs = this.#idLikes(a);
    if (xs.length === 0) return undefined;
    const ys = this.#idLikes(b);
    if (ys.length === 0 || !(xs.some(isMasked) || ys.some(isMasked))) return undefined;
    for (const x of xs) for (const y of ys) if (compareMaskedId(x, y).consistent) return undefined;
    return differingParts(xs[0] as string, ys[0] as string);
  }

  /** Whether a masked ID of the person (who holds no valid one) fits the valid resident ID `id`. */
  #maskFits(root: number, id: string): boolean {
    for (let r = this.#memberHead.data[root] ?? -1; r >= 0; r = this.#memberNext.data[r] as number) {
      const m = (this.#profiles[this.#recordProfile.data[r] as number] as Profile).maskedId;
      if (m !== undefined && compareMaskedId(m, id).consistent) return true;
    }
    return false;
  }

  /** The valid and masked resident IDs a person's records carry. */
  #idLikes(root: number): string[] {
    const out: string[] = [];
    for (let r = this.#memberHead.data[root] ?? -1; r >= 0; r = this.#memberNext.data[r] as number) {
      const p = this.#profiles[this.#recordProfile.data[r] as number] as Profile;
      const id = p.nationalId ?? p.maskedId;
      if (id !== undefined && !out.includes(id)) out.push(id);
    }
    return out;
  }

  #union(a: number, b: number, by: 'operator' | 'resolver', recordId?: string, note?: string): number {
    const keep = this.#uf.union(a, b);
    const gone = keep === a ? b : a;
    this.#joinMembers(keep, gone);
    const ids = this.#subjectIds.get(gone);
    if (ids !== undefined) {
      for (const x of eachId(ids)) this.#addId(keep, x);
      this.#subjectIds.delete(gone);
    }
    if (this.#masked.delete(gone)) this.#masked.add(keep);
    this.#log({
      kind: 'merge',
      survivor: this.#subjectName[keep] as string,
      absorbed: this.#subjectName[gone] as string,
      by,
      ...(recordId ? { recordId } : {}),
      ...(note ? { note } : {}),
    });
    return keep;
  }

  #rebuildPerson(root: number): void {
    const ids = new Set<string>();
    const keys = new Set<string>();
    let masked = false;
    for (const i of this.#members(root)) {
      const p = this.#profiles[this.#recordProfile.data[i] as number] as Profile;
      if (p.nationalId) ids.add(p.nationalId);
      if (p.maskedId) masked = true;
      for (const key of strongKeys(p)) keys.add(key);
    }
    if (masked) this.#masked.add(root);
    else this.#masked.delete(root);
    const elsewhere = keys.size > 0 ? this.#keysHeldOutside(root, keys) : keys;
    for (const key of keys) {
      // The key follows the records that carry it when they all left together.
      if (!this.#strong.has(key) || !elsewhere.has(key)) this.#strong.set(key, root);
    }
    this.#subjectIds.set(root, ids);
  }

  /**
   * Which of `keys` a record outside the person also carries: one pass over the records, so a
   * split costs the number of records once (a rare operator action; merges never come here).
   */
  #keysHeldOutside(root: number, keys: ReadonlySet<string>): Set<string> {
    const out = new Set<string>();
    const held = new Map<number, string[]>();
    for (let r = 0; r < this.#recordIds.length && out.size < keys.size; r++) {
      const pid = this.#recordProfile.data[r] as number;
      const p = this.#profiles[pid] as Profile;
      if (!p.nationalId && !p.passport && !p.account && !p.kycBound) continue;
      let ks = held.get(pid);
      if (!ks) {
        ks = strongKeys(p).filter((k) => keys.has(k));
        held.set(pid, ks);
      }
      if (ks.length === 0 || this.#uf.find(this.#recordNode.data[r] as number) === root) continue;
      for (const k of ks) out.add(k);
    }
    return out;
  }

  /** A person's record indexes, in arrival order. */
  #members(root: number): number[] {
    const out: number[] = [];
    for (let r = this.#memberHead.data[root] ?? -1; r >= 0; r = this.#memberNext.data[r] as number)
      out.push(r);
    return out.sort((a, b) => a - b);
  }

  #setMembers(root: number, records: readonly number[]): void {
    this.#memberHead.data[root] = -1;
    this.#memberTail.data[root] = -1;
    for (const r of records) {
      this.#memberNext.data[r] = -1;
      const tail = this.#memberTail.data[root] as number;
      if (tail >= 0) this.#memberNext.data[tail] = r;
      else this.#memberHead.data[root] = r;
      this.#memberTail.data[root] = r;
    }
  }

  /** Appends the records of `gone` to those of `keep` (their roots after a union). */
  #joinMembers(keep: number, gone: number): void {
    const head = this.#memberHead.data[gone] as number;
    if (head < 0) return;
    const tail = this.#memberTail.data[keep] as number;
    if (tail >= 0) this.#memberNext.data[tail] = head;
    else this.#memberHead.data[keep] = head;
    this.#memberTail.data[keep] = this.#memberTail.data[gone] as number;
    this.#memberHead.data[gone] = -1;
    this.#memberTail.data[gone] = -1;
  }

  #beginBest(): void {
    this.#nBest = 0;
    // Stamps are 32-bit: start them over before the counter would wrap.
    if (this.#stamp === 0x7fffffff) {
      this.#rootStamp.data.fill(0);
      this.#stamp = 0;
    }
    this.#stamp++;
  }

  /** Keeps `pid` as its person's best candidate when it weighs more, or as much with a lower id. */
  #offer(pid: number, w: number): void {
    const root = this.#uf.find(this.#recordNode.data[this.#profileRep.data[pid] as number] as number);
    const stamps = this.#rootStamp.data;
    if (stamps[root] !== this.#stamp) {
      stamps[root] = this.#stamp;
      const b = this.#nBest++;
      this.#rootSlot.data[root] = b;
      this.#bestRoot[b] = root;
      this.#bestW[b] = w;
      this.#bestPid[b] = pid;
      return;
    }
    const b = this.#rootSlot.data[root] as number;
    const cur = this.#bestW[b] as number;
    if (w > cur || (w === cur && pid < (this.#bestPid[b] as number))) {
      this.#bestW[b] = w;
      this.#bestPid[b] = pid;
    }
  }

  /** The slot of a person's best candidate in this `resolve`, or -1. */
  #bestSlot(root: number): number {
    return this.#rootStamp.data[root] === this.#stamp ? (this.#rootSlot.data[root] as number) : -1;
  }

  #newSubject(name?: string): number {
    const node = this.#uf.add();
    this.#rootStamp.push(0);
    this.#rootSlot.push(0);
    this.#memberHead.push(-1);
    this.#memberTail.push(-1);
    let id = name;
    if (id === undefined) {
      if (this.#newSubjectId) id = this.#newSubjectId();
      else {
        do id = `P${String(this.#seq++).padStart(7, '0')}`;
        while (this.#subjectByName.has(id));
      }
    }
    if (this.#subjectByName.has(id))
      throw new CredenceError('CREDENCE_E_INTERNAL', `subject id ${id} issued twice`);
    this.#subjectName.push(id);
    this.#subjectByName.set(id, node);
    return node;
  }

  #node(subjectId: string): number {
    const node = this.#subjectByName.get(subjectId);
    if (node === undefined) throw new CredenceError('CREDENCE_E_SUBJECT_NOT_FOUND', `no person ${subjectId}`);
    return node;
  }

  #nameOf(r: number): string {
    return this.#subjectName[this.#uf.find(this.#recordNode.data[r] as number)] as string;
  }

  #nameOf2(node: number): string {
    return this.#subjectName[this.#uf.find(node)] as string;
  }

  #log(d: DecisionInput): void {
    const seq = this.#decisions.length + 1;
    this.#decisions.push({ ...d, seq } as IdentityDecision);
    if (d.kind === 'refused-merge' && d.recordId !== undefined) this.#noteRefusal(d.recordId, seq - 1);
  }

  /** Remembers which decisions refused a record's link, for `explain` (rare: a sparse map). */
  #noteRefusal(recordId: string, at: number): void {
    const seen = this.#refusals.get(recordId);
    if (seen) seen.push(at);
    else this.#refusals.set(recordId, [at]);
  }

  /**
   * Logs a `refused-merge` for each person a strong key of the record names but whose resident
   * IDs conflict with the record's own, naming the keys (not their values: the history outlives
   * a purge of the identifiers).
   */
  #logConflicts(recordId: string, p: Profile, node: number, conflicted: readonly number[]): void {
    const own = this.#subjectName[this.#uf.find(node)] as string;
    for (const root of conflicted) {
      const kinds: string[] = [];
      for (const key of lookupKeys(p)) {
        const at = this.#strong.get(key);
        if (at === undefined || this.#uf.find(at) !== root) continue;
        const kind = KEY_WORDS[key.slice(0, 2)] ?? 'identifier';
        if (!kinds.includes(kind)) kinds.push(kind);
      }
      const other = this.#subjectName[root] as string;
      this.#log({
        kind: 'refused-merge',
        subjects: [own, other],
        recordId,
        reason: `the record's ${kinds.join(' and ')} ${kinds.length > 1 ? 'are' : 'is'} ${other}'s, but its valid resident ID differs from ${other}'s: two resident IDs are two people`,
      });
    }
  }
}

const isMasked = (id: string): boolean => id.includes('*');

/** Which parts of two resident IDs differ on characters both show (GB 11643 layout). */
function differingParts(x: string, y: string): string {
  const parts: [string, number, number][] = [
    ['area code', 0, 6],
    ['birth date', 6, 14],
    ['sequence number', 14, 17],
    ['check character', 17, 18],
  ];
  const out: string[] = [];
  for (const [name, from, to] of parts) {
    for (let i = from; i < to; i++) {
      const c = x[i];
      const d = y[i];
      if (c !== '*' && d !== '*' && c !== d) {
        out.push(name);
        break;
      }
    }
  }
  return out.join(', ') || 'length';
}

/** `#mergeConflict`'s answer in words. */
function conflictWords(why: string): string {
  if (why === 'resident IDs') return 'they hold different valid resident IDs';
  if (why === 'apart') return 'an operator declared them different';
  return `their resident IDs differ where a masked ID shows them (${why})`;
}

/** The refusal of a merge of two persons, saying what keeps them apart (no ID values: it is logged). */
function conflictError(subjectA: string, subjectB: string, why: string): CredenceError {
  const text =
    why === 'resident IDs' || why === 'apart'
      ? `persons ${subjectA} and ${subjectB} hold different valid resident IDs or were declared different`
      : `persons ${subjectA} and ${subjectB} hold resident IDs that differ where a masked ID shows them (${why}): two people`;
  return new CredenceError('CREDENCE_E_IDENTITY_CONFLICT', text);
}

/** Strong-key prefixes in words, for a refusal's reason. */
const KEY_WORDS: Record<string, string> = {
  'n:': 'resident ID',
  'p:': 'passport',
  'a:': 'account',
  'k:': 'KYC-bound phone',
};

type PersonIds = string | Set<string>;
const idCount = (ids: PersonIds): number => (typeof ids === 'string' ? 1 : ids.size);
const hasId = (ids: PersonIds, id: string): boolean => (typeof ids === 'string' ? ids === id : ids.has(id));
const eachId = (ids: PersonIds): Iterable<string> => (typeof ids === 'string' ? [ids] : ids);

type DecisionInput = IdentityDecision extends infer T ? (T extends unknown ? Omit<T, 'seq'> : never) : never;

function scoredMismatch(recordId: string): CredenceError {
  return new CredenceError(
    'CREDENCE_E_INTERNAL',
    `record ${recordId}: candidates scored ahead do not match the resolver's state`,
  );
}

function round4(x: number): number {
  return Math.round(x * 10000) / 10000;
}
