import type { IngestCounts } from './pipeline.js';

/**
 * The counts of a run that has judged nothing yet. A module of its own, so that the commands
 * that print counts before the pipeline has loaded (it loads only when used) do not load it.
 */
export const NO_COUNTS: Readonly<IngestCounts> = Object.freeze({
  lines: 0,
  accepted: 0,
  duplicates: 0,
  rejected: 0,
  retractions: 0,
  consents: 0,
  subjectsCreated: 0,
});
