import { hashKey } from '../match/block-index.js';
import type { MatchModel } from '../match/model.js';
import { PairScorer, TermFrequencies } from '../match/scorer.js';
import { blockingKeys, isMaskedOnly, type Profile } from '../profile.js';

/**
 * Every blocking block of a batch at once, each block's members in arrival order, in typed
 * arrays that may live in shared memory. A record's candidates are those a `Resolver` fed the
 * batch in order would find: the most recent `limit` members of each of its blocks among the
 * profiles that arrived before it. Which profiles arrived before a record depends only on the
 * order of the records, never on how they were linked, so any record's candidates and their
 * weights can be computed ahead, on any thread.
 */
export interface CandidateIndex {
  /** Profile `p`'s blocking keys are `keyHash[keyStart[p]..keyStart[p + 1])`, in `blockingKeys` order. */
  keyStart: Int32Array;
  keyHash: Float64Array;
  /** The block of each of those keys. */
  keyBlock: Int32Array;
  /** Block `b`'s members are `blockIds[blockStart[b]..blockStart[b + 1])`, ascending. */
  blockStart: Int32Array;
  blockIds: Int32Array;
}

/** The order of a batch's records: each record's profile, and how many profiles came before it. */
export interface RecordOrder {
  /** Profile index of each record (profiles numbered in order of first arrival). */
  pid: Int32Array;
  /** Number of distinct profiles among the records before this one. */
  before: Int32Array;
}

const alloc = (shared: boolean, bytes: number) =>
  shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);

function nextPow2(x: number): number {
  let c = 1024;
  while (c < x) c *= 2;
  return c;
}

/** Builds the index over the distinct profiles of a batch, in order of first arrival. */
export function buildCandidateIndex(profiles: readonly Profile[], shared: boolean): CandidateIndex {
  const n = profiles.length;
  const keyStart = new Int32Array(alloc(shared, (n + 1) * 4));
  let hashes = new Float64Array(Math.max(16, n * 12));
  let k = 0;
  for (let p = 0; p < n; p++) {
    keyStart[p] = k;
    for (const key of blockingKeys(profiles[p] as Profile)) {
      if (k === hashes.length) {
        const grown = new Float64Array(hashes.length * 2);
        grown.set(hashes);
        hashes = grown;
      }
      hashes[k++] = hashKey(key);
    }
  }
  keyStart[n] = k;
  const keyHash = new Float64Array(alloc(shared, k * 8));
  keyHash.set(hashes.subarray(0, k));

  // Hash → block, open addressing (the same 53-bit hashes as BlockIndex, so the same collisions).
  const cap = nextPow2(k * 2);
  const mask = cap - 1;
  const slotKey = new Float64Array(cap).fill(-1);
  const slotBlock = new Int32Array(cap);
  const keyBlock = new Int32Array(alloc(shared, k * 4));
  let blocks = 0;
  for (let i = 0; i < k; i++) {
    const h = keyHash[i] as number;
    let s = (h >>> 0) & mask;
    for (;;) {
      const v = slotKey[s] as number;
      if (v === h) break;
      if (v === -1) {
        slotKey[s] = h;
        slotBlock[s] = blocks++;
        break;
      }
      s = (s + 1) & mask;
    }
    keyBlock[i] = slotBlock[s] as number;
  }
  // Members per block; a profile that yields one key twice is a member once (as BlockIndex).
  const last = new Int32Array(blocks).fill(-1);
  const blockStart = new Int32Array(alloc(shared, (blocks + 1) * 4));
  for (let p = 0; p < n; p++) {
    for (let i = keyStart[p] as number; i < (keyStart[p + 1] as number); i++) {
      const b = keyBlock[i] as number;
      if (last[b] === p) continue;
      last[b] = p;
      blockStart[b + 1] = (blockStart[b + 1] as number) + 1;
    }
  }
  for (let b = 0; b < blocks; b++)
    blockStart[b + 1] = (blockStart[b + 1] as number) + (blockStart[b] as number);
  const fill = blockStart.slice(0, blocks);
  const blockIds = new Int32Array(alloc(shared, (blockStart[blocks] as number) * 4));
  last.fill(-1);
  for (let p = 0; p < n; p++) {
    for (let i = keyStart[p] as number; i < (keyStart[p + 1] as number); i++) {
      const b = keyBlock[i] as number;
      if (last[b] === p) continue;
      last[b] = p;
      blockIds[fill[b] as number] = p;
      fill[b] = (fill[b] as number) + 1;
    }
  }
  return { keyStart, keyHash, keyBlock, blockStart, blockIds };
}

/**
 * Scored candidates of a run of records: per record a count (-1: none needed), then (id,
 * weight) pairs; per record of a profile new there, its weight against itself (else NaN).
 */
export interface ScoredRun {
  from: number;
  counts: Int32Array;
  self: Float64Array;
  ids: Int32Array;
  weights: Float64Array;
}

/**
 * Computes, for records of a batch, the candidates and weights `Resolver.resolve` would
 * compute itself: the same blocks, the same order, the same `weightAbove` floor. Needs a
 * model whose name frequencies are frozen (a live count would make weights depend on time).
 */
export class CandidateScorer {
  readonly #profiles: readonly Profile[];
  readonly #index: CandidateIndex;
  readonly #order: RecordOrder;
  readonly #limit: number;
  readonly #scorer: PairScorer;
  readonly #mark: Int32Array;
  readonly #self: Float64Array;
  #query = 0;

  constructor(
    profiles: readonly Profile[],
    index: CandidateIndex,
    order: RecordOrder,
    model: MatchModel,
    blockLimit: number,
  ) {
    if (!model.tf) throw new Error('candidates can be scored ahead only with frozen name frequencies');
    this.#profiles = profiles;
    this.#index = index;
    this.#order = order;
    this.#limit = blockLimit;
    this.#scorer = new PairScorer(model, TermFrequencies.from(model.tf));
    this.#mark = new Int32Array(profiles.length);
    this.#self = new Float64Array(profiles.length).fill(Number.NaN);
  }

  /** Scores records `from..to`. */
  score(from: number, to: number): ScoredRun {
    const counts = new Int32Array(to - from);
    const self = new Float64Array(to - from).fill(Number.NaN);
    let ids = new Int32Array((to - from) * 16);
    let weights = new Float64Array(ids.length);
    let n = 0;
    const { keyStart, keyBlock, blockStart, blockIds } = this.#index;
    const { pid: pids, before } = this.#order;
    const floor = this.#scorer.compiled.reviewWeight;
    const link = this.#scorer.compiled.linkWeight;
    const limit = this.#limit;
    const mark = this.#mark;
    for (let r = from; r < to; r++) {
      const pid = pids[r] as number;
      const bound = before[r] as number;
      const p = this.#profiles[pid] as Profile;
      // A profile seen before that is enough on its own joins its first record's person
      // unscored (the resolver's shortcut).
      if (pid < bound && this.#selfLinks(pid, p, link)) {
        counts[r - from] = -1;
        continue;
      }
      if (pid === bound) self[r - from] = this.#selfWeight(pid, p);
      const q = ++this.#query;
      const start = n;
      for (let k = keyStart[pid] as number; k < (keyStart[pid + 1] as number); k++) {
        const b = keyBlock[k] as number;
        const lo = blockStart[b] as number;
        // Members arrived in ascending order: those before this record end at the first >= bound.
        let hi = blockStart[b + 1] as number;
        if (hi > lo && (blockIds[hi - 1] as number) >= bound) {
          let a = lo;
          while (a < hi) {
            const mid = (a + hi) >>> 1;
            if ((blockIds[mid] as number) < bound) a = mid + 1;
            else hi = mid;
          }
        }
        // Newest first, at most `limit`, as BlockIndex.collect.
        const stop = Math.max(lo, hi - limit);
        for (let j = hi - 1; j >= stop; j--) {
          const other = blockIds[j] as number;
          if (mark[other] === q) continue;
          mark[other] = q;
          if (n === ids.length) {
            const i2 = new Int32Array(n * 2);
            i2.set(ids);
            ids = i2;
            const w2 = new Float64Array(n * 2);
            w2.set(weights);
            weights = w2;
          }
          ids[n] = other;
          weights[n] = this.#scorer.weightAbove(p, this.#profiles[other] as Profile, floor);
          n++;
        }
      }
      counts[r - from] = n - start;
    }
    return { from, counts, self, ids: ids.slice(0, n), weights: weights.slice(0, n) };
  }

  #selfLinks(pid: number, p: Profile, link: number): boolean {
    return this.#selfWeight(pid, p) >= link && !isMaskedOnly(p);
  }

  #selfWeight(pid: number, p: Profile): number {
    let self = this.#self[pid] as number;
    if (Number.isNaN(self)) {
      self = this.#scorer.weight(p, p);
      this.#self[pid] = self;
    }
    return self;
  }
}
