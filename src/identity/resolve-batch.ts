import { CandidateScorer, type RecordOrder, type ScoredRun } from './batch/candidate-index.js';
import { ParallelScores } from './batch/parallel-scores.js';
import { decodeProfiles } from './batch/profile-wire.js';
import { type EstimateOptions, estimateModel } from './match/em.js';
import type { MatchModel } from './match/model.js';
import { type Profile, type ProfileOptions, profileHash, sameProfile, toProfile } from './profile.js';
import { Resolver } from './resolver.js';
import type { ResolverOptions, ScoredCandidates } from './resolver-types.js';
import type { PersonRecord, Resolution } from './types.js';

export interface BatchOptions extends Omit<ResolverOptions, 'model'> {
  /** Use this model; otherwise one is estimated from the records themselves (EM, no labels). */
  model?: MatchModel;
  estimate?: EstimateOptions;
  profile?: ProfileOptions;
  /** Field evidence in each result (default true); `Resolver.explain` gives it later. */
  evidence?: boolean;
  /**
   * Score candidate pairs on a second thread while this one links records in order (same
   * results). Used from `minRecords` records (default 50,000: below that the thread costs
   * more than it saves); `false` never. `normalise: true` has the second thread normalise
   * part of the records too: faster when the second core is free, slower and a fifth more
   * CPU when other processes share the machine (BENCHMARKS.md), so off by default.
   */
  parallel?: false | { minRecords?: number; chunk?: number; normalise?: boolean };
}

/**
 * Resolves a whole file of records at once: estimates the model from the data when none is
 * given, then links and deduplicates every record. It runs the same resolution as
 * `Resolver.resolve` in input order, so batch and incremental give the same persons; each
 * result carries the person the record belongs to at the end.
 *
 * @example
 * const res = resolveBatch(records);
 * res.map((r) => [r.recordId, r.subjectId]);
 */
export function resolveBatch(records: readonly PersonRecord[], opts: BatchOptions = {}): Resolution[] {
  const batch = new BatchResolution(records, opts);
  batch.normalise();
  batch.estimate();
  const out: Resolution[] = [];
  const resolver = batch.resolve((res) => out.push(res));
  for (const res of out) res.subjectId = resolver.subjectOf(res.recordId) as string;
  return out;
}

/** The model a batch uses: the given one, or one estimated from its distinct profiles. */
export function batchModel(profiles: readonly Profile[], opts: BatchOptions = {}): MatchModel {
  return opts.model ?? estimateModel(distinct(profiles), opts.estimate);
}

const EMPTY_IDS = new Int32Array(0);
const EMPTY_WEIGHTS = new Float64Array(0);

/**
 * `resolveBatch` in its three steps (normalise, estimate the model, resolve in order; each
 * once, in that order), for callers that time or report them. With enough records a worker
 * thread shares the work: it receives the distinct profiles while this thread normalises,
 * indexes them while this thread estimates the model, then both score chunks of records
 * while this thread links them in order. Which profiles a record meets
 * depends only on the order of the records, never on how earlier ones were linked, so the
 * scores are those the resolver would compute itself; it checks that they fit.
 *
 * @example
 * const batch = new BatchResolution(records);
 * batch.normalise(); batch.estimate();
 * const resolver = batch.resolve((res) => console.log(res.recordId, res.decision));
 */
export class BatchResolution {
  readonly #records: readonly PersonRecord[];
  readonly #opts: BatchOptions;
  readonly #chunk: number;
  readonly #parallel: boolean;
  readonly #splitNormalising: boolean;
  #profiles: Profile[] = [];
  // Distinct profiles in order of first arrival, and the order of the records over them, as
  // the resolver numbers them; only when a worker scores.
  #unique: Profile[] = [];
  #order: RecordOrder | undefined;
  #hashes: number[] = [];
  #collided = false;
  #model: MatchModel | undefined;
  #worker: ParallelScores | undefined;
  #split = { worker: 0, main: 0 };
  #normalisedChunks = { worker: 0, main: 0 };

  constructor(records: readonly PersonRecord[], opts: BatchOptions = {}) {
    this.#records = records;
    this.#opts = opts;
    const par = opts.parallel === false ? undefined : opts.parallel;
    this.#chunk = Math.max(1, par?.chunk || 4096);
    // Live name counts make a weight depend on when it is computed: no scoring ahead. An
    // estimated model carries frozen ones.
    const frozen = opts.termFrequencies !== 'live' && (!opts.model || opts.model.tf !== undefined);
    this.#parallel = opts.parallel !== false && frozen && records.length >= (par?.minRecords ?? 50_000);
    this.#splitNormalising = par?.normalise ?? false;
  }

  /** Chunks of records each thread normalised and scored (all 0: one thread). */
  get chunks(): { normalised: { worker: number; main: number }; scored: { worker: number; main: number } } {
    return { normalised: { ...this.#normalisedChunks }, scored: { ...this.#split } };
  }

  /** The normalised profile of each record. */
  get profiles(): readonly Profile[] {
    return this.#profiles;
  }

  normalise(): readonly Profile[] {
    const records = this.#records;
    const popts = this.#opts.profile;
    this.#worker = this.#parallel ? ParallelScores.start() : undefined;
    const worker = this.#worker;
    if (!worker) {
      this.#profiles = records.map((r) => toProfile(r, popts));
      return this.#profiles;
    }
    const n = records.length;
    const pid = new Int32Array(new SharedArrayBuffer(n * 4));
    const before = new Int32Array(new SharedArrayBuffer(n * 4));
    const bySignature = new Map<number, number>();
    const unique: Profile[] = [];
    const hashes: number[] = [];
    const profiles = new Array<Profile>(n);
    const number = (i: number, p: Profile, hash?: number): void => {
      before[i] = unique.length;
      // The resolver's numbering: the first profile of a hash owns it.
      const h = hash ?? profileHash(p);
      const at = bySignature.get(h);
      if (at !== undefined && sameProfile(unique[at] as Profile, p)) {
        pid[i] = at;
        // Records with one profile share its object: a million copies would only feed the
        // garbage collector's old generation.
        profiles[i] = unique[at] as Profile;
      } else {
        if (at === undefined) bySignature.set(h, unique.length);
        else this.#collided = true;
        pid[i] = unique.length;
        unique.push(p);
        hashes.push(h);
      }
    };
    // This thread normalises from the first chunk; with `normalise` the worker does from the
    // last (of the second half at most, the records it was sent) until they meet. This
    // thread's distinct profiles go to the worker as they are made.
    const size = this.#chunk;
    const chunks = Math.ceil(n / size);
    if (this.#splitNormalising) worker.normaliseFrom(records, size, chunks >> 1, popts ?? {});
    let c = 0;
    for (; c < chunks && (!this.#splitNormalising || worker.claimNormalise(c)); c++) {
      for (let i = c * size; i < Math.min(n, (c + 1) * size); i++) {
        const p = toProfile(records[i] as PersonRecord, popts);
        profiles[i] = p;
        number(i, p);
      }
      worker.sendProfiles(unique);
    }
    this.#normalisedChunks = { main: c, worker: chunks - c };
    const made: Profile[] = [];
    const madeHashes: number[] = [];
    for (; c < chunks; c++) {
      made.length = 0;
      madeHashes.length = 0;
      decodeProfiles(worker.takeNormalised(c), made, true, madeHashes);
      for (let i = c * size, k = 0; i < Math.min(n, (c + 1) * size); i++, k++) {
        const p = made[k] as Profile;
        profiles[i] = p;
        number(i, p, madeHashes[k]);
      }
    }
    worker.buildIndex({ pid, before });
    this.#profiles = profiles;
    this.#unique = unique;
    this.#hashes = hashes;
    this.#order = { pid, before };
    return profiles;
  }

  /** The given model, or one estimated from the distinct profiles. */
  estimate(): MatchModel {
    if (this.#opts.model) this.#model = this.#opts.model;
    else {
      // Without a hash collision the resolver's numbering is exactly `distinct`.
      const train = this.#order && !this.#collided ? this.#unique : distinct(this.#profiles);
      this.#model = estimateModel(train, this.#opts.estimate);
    }
    return this.#model;
  }

  /** Resolves every record in order; `each` sees each record's resolution as it is made. */
  resolve(each?: (res: Resolution) => void): Resolver {
    const model = this.#model ?? this.estimate();
    const opts = this.#opts;
    const resolver = new Resolver({ ...opts, model });
    const evidence = opts.evidence !== false;
    const records = this.#records;
    const profiles = this.#profiles;
    const worker = this.#worker;
    const order = this.#order;
    if (!worker || !order) {
      for (let i = 0; i < records.length; i++) {
        const res = resolver.resolve(records[i] as PersonRecord, {
          evidence,
          profile: profiles[i] as Profile,
        });
        each?.(res);
      }
      return resolver;
    }
    try {
      const blockLimit = opts.blockLimit ?? 20;
      const size = this.#chunk;
      worker.run(model, order, blockLimit, size);
      const index = worker.index();
      const scorer = new CandidateScorer(this.#unique, index, order, model, blockLimit);
      const pre: ScoredCandidates = {
        pid: 0,
        count: 0,
        at: 0,
        ids: EMPTY_IDS,
        weights: EMPTY_WEIGHTS,
        keyHash: index.keyHash,
        keyFrom: 0,
        keyTo: 0,
        hash: 0,
        self: Number.NaN,
      };
      const hashes = this.#hashes;
      const n = records.length;
      const ahead = new Map<number, ScoredRun>();
      const scoreChunk = (k: number): ScoredRun => {
        this.#split.main++;
        return scorer.score(k * size, Math.min(n, (k + 1) * size));
      };
      for (let c = 0; c * size < n; c++) {
        const from = c * size;
        const to = Math.min(n, from + size);
        let run = ahead.get(c);
        if (run) ahead.delete(c);
        else if (worker.claim(c)) run = scoreChunk(c);
        else {
          // The worker is scoring this chunk: score the next free ones meanwhile rather than wait.
          while (!worker.ready(c)) {
            const k = worker.claimNext();
            if (k < 0) break;
            ahead.set(k, scoreChunk(k));
          }
          run = worker.take(c);
          this.#split.worker++;
        }
        pre.ids = run.ids;
        pre.weights = run.weights;
        let at = 0;
        for (let i = from; i < to; i++) {
          const pid = order.pid[i] as number;
          const count = run.counts[i - from] as number;
          pre.pid = pid;
          pre.count = count;
          pre.at = at;
          pre.keyFrom = index.keyStart[pid] as number;
          pre.keyTo = index.keyStart[pid + 1] as number;
          pre.hash = hashes[pid] as number;
          pre.self = run.self[i - from] as number;
          if (count > 0) at += count;
          const res = resolver.resolve(records[i] as PersonRecord, {
            evidence,
            profile: profiles[i] as Profile,
            scored: pre,
          });
          each?.(res);
        }
      }
    } finally {
      worker.close();
      this.#worker = undefined;
    }
    return resolver;
  }
}

/** Estimates a model from records (distinct normalised profiles), as `resolveBatch` does. */
export function trainModel(records: readonly PersonRecord[], opts: BatchOptions = {}): MatchModel {
  return estimateModel(distinct(records.map((r) => toProfile(r, opts.profile))), opts.estimate);
}

function distinct(profiles: readonly Profile[]): Profile[] {
  // By hash, then field by field: no signature string per record (a million of them at scale).
  const seen = new Map<number, number | number[]>();
  const out: Profile[] = [];
  for (const p of profiles) {
    const h = profileHash(p);
    const at = seen.get(h);
    if (at === undefined) seen.set(h, out.length);
    else if (typeof at === 'number') {
      if (sameProfile(out[at] as Profile, p)) continue;
      seen.set(h, [at, out.length]);
    } else {
      if (at.some((k) => sameProfile(out[k] as Profile, p))) continue;
      at.push(out.length);
    }
    out.push(p);
  }
  return out;
}
