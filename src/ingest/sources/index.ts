export { type CsvChunk, type CsvRow, csvCell, openCsv, readCsv, splitCsv } from './csv-reader.js';
export {
  type ImportListener,
  type ImportOptions,
  type ImportRefusal,
  type ImportReport,
  importSource,
} from './import-source.js';
export {
  type Column,
  type EventsMapping,
  type GridMapping,
  loadMapping,
  type Mapping,
  mappingColumns,
  type RegisterMapping,
  SUBJECT_FIELDS,
} from './load-mapping.js';
export {
  type EntryRow,
  type GridStatus,
  gridStatus,
  isRefusal,
  keyOf,
  type MappedFact,
  mapEntryRow,
  mapEventRow,
  mapGridRow,
} from './map-row.js';
export { type ColumnSpec, MappingSchema, SOURCE_KINDS, type SourceKind } from './mapping-schema.js';
export {
  contentOf,
  contentOfBody,
  deltaFacts,
  deriveEntryStates,
  type EntryState,
  entryFactId,
  entryKeyOf,
  SnapshotDiff,
  type StoredEntryFact,
  whenText,
} from './register-diff.js';
export { headerOf, parseWhen, type RowRefusal } from './row-values.js';
