import type { MatchModel } from './match/model.js';
import type { ProfileOptions } from './profile.js';
import type { PersonRecord, ResolutionDecision, ReviewCandidate } from './types.js';

export interface ResolverOptions {
  /** Names new persons; default a counter `P0000001`, `P0000002`, … (the ids ingest gives) */
  newSubjectId?: () => string;
  /** Default: `defaultModel()`; train one with `estimateModel`. */
  model?: MatchModel;
  /**
   * `model`: name frequencies frozen in the model (batch and incremental then agree exactly);
   * `live`: counted as records arrive. Default: `model` when the model carries them, else `live`.
   */
  termFrequencies?: 'model' | 'live';
  /** Most recent members of a block compared per query (default 20). */
  blockLimit?: number;
  profile?: ProfileOptions;
  /**
   * Keep each record's raw fields (default true): `snapshot()` needs them. A caller that stores
   * the records itself (ingest) turns it off and saves their memory; ids and links are kept.
   */
  keepRecords?: boolean;
  /**
   * Reuse the profile of a record whose raw fields repeat an earlier one's under another id
   * (default true). Off where ids are derived from the content (ingest): it never hits there.
   */
  rawMemo?: boolean;
  /**
   * Record ids are derived from the records' content (ingest: a hash of the subject's fields),
   * so one id never arrives with other content: no content hash is kept to check it (default false).
   */
  contentIds?: boolean;
}

/**
 * A record's candidates scored ahead of resolution (a batch's `CandidateScorer`, possibly on
 * another thread): for profile `pid`, `count` candidates at `ids[at..]` with their weights
 * (-1: none needed, the profile links on its own), its blocking-key hashes
 * `keyHash[keyFrom..keyTo)`, and what registering it needs. Reused from record to record.
 */
export interface ScoredCandidates {
  pid: number;
  count: number;
  at: number;
  ids: Int32Array;
  weights: Float64Array;
  keyHash: Float64Array;
  keyFrom: number;
  keyTo: number;
  /** `profileHash` of the profile. */
  hash: number;
  /** The profile's weight against itself when it is new here, else NaN. */
  self: number;
}

/** A match between the two thresholds, waiting for an operator. */
export interface ReviewItem {
  recordId: string;
  /** The provisional person the record was given. */
  subjectId: string;
  candidates: ReviewCandidate[];
}

/** An operator's or the resolver's recorded action on persons (append-only history). */
export type IdentityDecision =
  | {
      seq: number;
      kind: 'merge';
      survivor: string;
      absorbed: string;
      by: 'operator' | 'resolver';
      recordId?: string;
      note?: string;
    }
  | { seq: number; kind: 'split'; from: string; to: string; records: string[]; note?: string }
  | {
      seq: number;
      kind: 'review';
      recordId: string;
      verdict: 'same' | 'different';
      subjectId: string;
      note?: string;
    }
  | { seq: number; kind: 'refused-merge'; subjects: [string, string]; recordId?: string; reason: string };

export interface MergeResult {
  subjectId: string;
  absorbed: string[];
  /** Records that changed person (their facts follow them). */
  movedRecords: string[];
}

export interface SplitResult {
  subjectId: string;
  from: string;
  movedRecords: string[];
}

/** Everything needed to persist a resolver and load it again: plain JSON. */
export interface ResolverSnapshot {
  version: 1;
  model: MatchModel;
  liveTermFrequencies: boolean;
  nextSeq: number;
  records: {
    record: PersonRecord;
    subjectId: string;
    decision: ResolutionDecision;
    confidence: number;
    matchedRecordId?: string;
  }[];
  /** Which person each strong key (resident ID, passport, account, bound phone) leads to. */
  strong: [string, string][];
  /** Pairs of persons an operator said are different; never merged automatically. */
  apart: [string, string][];
  reviews: ReviewItem[];
  decisions: IdentityDecision[];
}
