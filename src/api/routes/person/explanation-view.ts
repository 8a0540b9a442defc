import type { ScoringFact } from '../../../core/facts/fact.js';
import type { CompiledRulebook } from '../../../core/rulebook/index.js';
import {
  type Explanation,
  type NotScoredReason,
  pointCategory,
  pointRule,
} from '../../../core/scoring/index.js';
import { formatInstant } from '../../../core/time/index.js';
import { notScoredFactor } from '../relying-party/adverse-action.js';

/** A dispute of one of the person's facts open at the explanation's as-of, as the explanation needs it. */
export interface OpenDispute {
  readonly id: string;
  readonly source: string;
  readonly factId: string;
}

/**
 * An outcome as the person reads it: when no score exists, `why` says so in words they can act on
 * (the same words the notice a relying party must pass on gives).
 */
export function withWhy<T extends { readonly status: string; readonly reason?: NotScoredReason }>(
  rb: CompiledRulebook,
  o: T,
): WithWhy<T> {
  return (
    o.reason === undefined ? o : { ...o, why: notScoredFactor(rb, { reason: o.reason }).text }
  ) as WithWhy<T>;
}

/** An outcome with `why` on each kind that has a reason (not scored), as `withWhy` gives it. */
export type WithWhy<T> = T extends { readonly reason: NotScoredReason } ? T & { readonly why: string } : T;

/**
 * An explanation as the person reads it over the API: dates as ISO 8601 text (as their score,
 * file and a relying party's answer give them); each point with the category of the data it comes
 * from (policy.md: shown with each point) and its rule as the rulebook writes it (condition,
 * points, cap, decay), so a point that is now 0 says why; and the facts of theirs under dispute at
 * as-of (`facts` marked as they stood then, `open` the disputes open then), each saying whether it
 * counts meanwhile, so a point gone from the score is not a silent change. Nothing is listed for a person the program does not score (opted out, not
 * enrolled): no point exists for them.
 *
 * @example
 * explanationView(ex, rb, facts, disputes).contributions[0].category // 'payment'
 */
export function explanationView(
  ex: Explanation,
  rb: CompiledRulebook,
  facts: readonly ScoringFact[],
  open: readonly OpenDispute[],
) {
  const asOf = ex.outcome.asOf;
  const scorable = ex.enrolment !== 'opted-out' && ex.enrolment !== 'not-enrolled';
  const counts = !rb.disputes.suspend;
  return {
    ...ex,
    outcome: withWhy(rb, { ...ex.outcome, asOf: formatInstant(asOf) }),
    contributions: ex.contributions.map(({ occurredAt, ...c }) => ({
      ...c,
      ...(occurredAt !== undefined ? { occurredAt: formatInstant(occurredAt) } : {}),
      category: pointCategory(rb, c) ?? null,
      rule: pointRule(rb, c) ?? null,
    })),
    underDispute: scorable
      ? facts
          .filter((f) => f.disputed === true && f.at <= asOf && rb.events[f.type] !== undefined)
          .map((f) => ({
            factKey: f.key,
            type: f.type,
            occurredAt: formatInstant(f.at),
            dispute: open.find((d) => `${d.source}/${d.factId}` === f.key)?.id ?? null,
            counts,
            note: counts
              ? 'Still counted while your dispute is open: this program does not suspend disputed facts.'
              : 'Not counted while your dispute is open; if the dispute is rejected it counts again.',
          }))
      : [],
  };
}
