import { formatInstant } from '../core/time/index.js';

/**
 * An --as-of later than now asks `credence score`, `explain` or `screen` for a projection, and is answered
 * as one: an operator or a researcher may look ahead (when a late payment stops counting, when a
 * listing expires), where a relying party may not (the API refuses it, `decisionAsOf`). The answer
 * is labelled, since it comes from the facts stored now: none of those still to come, and
 * disputes open now taken as still open. Undefined when no --as-of was given or it is not later
 * than now.
 *
 * @example
 * projectionNote('2030-01-01', Date.parse('2030-01-01'), Date.now()) // 'projection: 2030-01-01T00:00:00.000Z is later than now (…)'
 */
export function projectionNote(asOfText: string | undefined, asOf: number, now: number): string | undefined {
  if (asOfText === undefined || !(asOf > now)) return undefined;
  return `projection: ${formatInstant(asOf)} is later than now (${formatInstant(now)}); computed from the facts stored now (none still to come; open disputes taken as still open)`;
}
