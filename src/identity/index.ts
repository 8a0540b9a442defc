export { type PersonCsv, parseCsv, parsePersonCsv } from './csv.js';
export { formatResolution, resolutionToJson } from './explain.js';
export { affectedSubjects, groupFactsBySubject } from './follow-facts.js';
export {
  BLOCK_LIMIT,
  type CandidateKeys,
  candidateKeys,
  type IndexKeys,
  RecordIndexer,
} from './index-keys.js';
export { BlockIndex } from './match/block-index.js';
export { COMPARISONS } from './match/comparisons.js';
export { type EstimateOptions, estimateModel } from './match/em.js';
export { defaultModel, type MatchModel } from './match/model.js';
export { jaroWinkler, withinOneEdit } from './match/string-similarity.js';
export { followMerges, MergeChains, type MergeFollowed, type MergeStep } from './merge-chain.js';
export {
  foldText,
  isDayMonthSwap,
  normaliseAddress,
  normaliseEmail,
  normaliseName,
  normaliseNamePart,
  normalisePhone,
  normalisePlace,
  parseDate,
  splitFullName,
} from './normalise/index.js';
export { blockingKeys, type Profile, strongKeys, toProfile } from './profile.js';
export {
  type BatchOptions,
  BatchResolution,
  batchModel,
  resolveBatch,
  trainModel,
} from './resolve-batch.js';
export { Resolver } from './resolver.js';
export type {
  IdentityDecision,
  MergeResult,
  ResolverOptions,
  ResolverSnapshot,
  ReviewItem,
  SplitResult,
} from './resolver-types.js';
export { subjectToRecord } from './subject-record.js';
export {
  type FieldEvidence,
  PERSON_FIELDS,
  type PersonRecord,
  type Resolution,
  type ResolutionDecision,
  type ReviewCandidate,
} from './types.js';
export {
  compareMaskedId,
  isMaskedResidentId,
  type MrzCheckDigit,
  type MrzResult,
  mrzCheckDigit,
  normaliseSexCode,
  type PassportCheck,
  parseMrz,
  type ResidentIdCheck,
  residentIdCheckChar,
  validatePassport,
  validateResidentId,
} from './validate/index.js';
