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
export { type ComparisonReport, comparisonReport } from './report.js';
