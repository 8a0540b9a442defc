export { canonicalJson, factHash, lineHash, sameFact } from './canonical.js';
export { CONSENT_TYPES, type EventCatalog, type EventTypeUse, eventCatalog } from './event-catalog.js';
export { type LineChunk, openJsonLines, readJsonLines, type SourceLine } from './jsonl-reader.js';
export { loadEntry, toScoringFact } from './person-cache.js';
export {
  type IngestCounts,
  type IngestListener,
  type IngestOptions,
  IngestPipeline,
  scoreRow,
} from './pipeline.js';
export { ProgramSet } from './program-set.js';
export { type RebuildResult, rebuildDerived } from './rebuild.js';
export * from './resolve/index.js';
export { isRejection, type ParsedLine, type Rejection, validateLine } from './validate.js';
