import type { Explanation } from '../../../core/scoring/index.js';
import { formatInstant } from '../../../core/time/index.js';

/**
 * An explanation as the person reads it over the API: the as-of date and each point's fact date
 * as ISO 8601 text, as their score, their file and a relying party's answer give dates.
 *
 * @example
 * explanationView(await ctx.scores.explain('P0000001', 'marketplace', now)).outcome.asOf // '2026-…Z'
 */
export function explanationView(ex: Explanation) {
  return {
    ...ex,
    outcome: { ...ex.outcome, asOf: formatInstant(ex.outcome.asOf) },
    contributions: ex.contributions.map((c) =>
      c.occurredAt === undefined ? c : { ...c, occurredAt: formatInstant(c.occurredAt) },
    ),
  };
}
