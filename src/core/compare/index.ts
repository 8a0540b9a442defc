export {
  type Comparison,
  ComparisonTally,
  type Held,
  type NamedCount,
  type PersonChange,
  type ReasonTotal,
  type ScoreChanges,
  type Standing,
  type StatusCounts,
  standingOf,
} from './comparison.js';
export {
  type ComparisonAuditEntry,
  type ComparisonReport,
  comparisonAuditEntries,
  comparisonReport,
} from './report.js';
