import type { ScoringFact } from '../../../core/facts/fact.js';
import type { CompiledRulebook } from '../../../core/rulebook/index.js';
import type { Contribution, Explanation, NotScoredReason } from '../../../core/scoring/index.js';
import { DAY_MS, formatInstant } from '../../../core/time/index.js';
import { notScoredFactor } from '../relying-party/adverse-action.js';

/** An open dispute of one of the person's facts, as the explanation needs it. */
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
): T | (T & { why: string }) {
  return o.reason === undefined ? o : { ...o, why: notScoredFactor(rb, { reason: o.reason }).text };
}

/** The rule behind a point, as the rulebook writes it. */
function ruleOf(rb: CompiledRulebook, c: Contribution): Record<string, unknown> | undefined {
  if (c.kind === 'rule') {
    const r = rb.rules.find((x) => x.id === c.ruleId);
    if (!r) return undefined;
    return {
      on: r.on,
      ...(r.whenText !== undefined ? { when: r.whenText } : {}),
      points: r.pointsText,
      ...(r.cap ? { cap: { max: r.cap.max, per: r.cap.per } } : {}),
      ...(r.decay.kind === 'expires' ? { decay: { expires: r.decay.text } } : {}),
      ...(r.decay.kind === 'halfLife' ? { decay: { halfLife: r.decay.text } } : {}),
    };
  }
  const r = rb.inactivity.find((x) => x.id === c.ruleId);
  if (!r) return undefined;
  // The rulebook's durations are whole days (a year is 365, a month 30): written back as days.
  const days = (ms: number): string => `P${ms / DAY_MS}D`;
  return {
    of: r.of,
    after: days(r.afterMs),
    points: r.points,
    ...(r.everyMs !== undefined ? { every: days(r.everyMs) } : {}),
    ...(r.limit !== undefined ? { limit: r.limit } : {}),
  };
}

/** The category (context of life) of the data a point comes from: its event type's, or the watched types'. */
function categoryOf(rb: CompiledRulebook, c: Contribution): string | undefined {
  if (c.type !== undefined) return rb.events[c.type]?.category;
  const r = rb.inactivity.find((x) => x.id === c.ruleId);
  if (!r) return undefined;
  return [...new Set(r.of.map((t) => rb.events[t]?.category).filter((x) => x !== undefined))].join(', ');
}

/**
 * An explanation as the person reads it over the API: dates as ISO 8601 text (as their score,
 * file and a relying party's answer give them); each point with the category of the data it comes
 * from (policy.md: shown with each point) and its rule as the rulebook writes it (condition,
 * points, cap, decay), so a point that is now 0 says why; and the facts of theirs under open
 * dispute, each saying whether it counts meanwhile, so a point gone from the score is not a
 * silent change. Nothing is listed for a person the program does not score (opted out, not
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
    contributions: ex.contributions.map((c) => ({
      ...c,
      ...(c.occurredAt !== undefined ? { occurredAt: formatInstant(c.occurredAt) } : {}),
      category: categoryOf(rb, c) ?? null,
      rule: ruleOf(rb, c) ?? null,
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
