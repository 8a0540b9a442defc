import type { ConsentEvent } from '../../../core/consent/index.js';
import type { ScoringFact } from '../../../core/facts/fact.js';
import type { CompiledRulebook } from '../../../core/rulebook/index.js';
import {
  type Contribution,
  type Explanation,
  type NotScoredReason,
  pointCategory,
  pointRule,
  pointWords,
  scoreTotal,
} from '../../../core/scoring/index.js';
import { factTally, insufficientDataWords } from '../../../core/scoring/insufficient-data.js';
import { formatInstant } from '../../../core/time/index.js';
import { dateInWords } from '../../services/person-file-service.js';
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
  file?: PersonFacts,
): WithWhy<T> {
  if (o.reason === undefined) return o as WithWhy<T>;
  // Too few facts: which minimum the rulebook sets, what counts of theirs, why the rest does not.
  const why =
    o.reason === 'insufficient-data' && file !== undefined
      ? insufficientDataWords(factTally(rb, file.facts, file.asOf, file.consent), file.asOf)
      : notScoredFactor(rb, { reason: o.reason }).text;
  return { ...o, why } as WithWhy<T>;
}

/**
 * Every fact in the person's file (any kind, marked as at as-of) and their consent history in the
 * program: what a not-scored `why` for too few facts is told from (`factTally`).
 */
export interface PersonFacts {
  readonly facts: readonly ScoringFact[];
  readonly consent: readonly ConsentEvent[];
  readonly asOf: number;
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
  consent?: readonly ConsentEvent[],
) {
  const asOf = ex.outcome.asOf;
  const scorable = ex.enrolment !== 'opted-out' && ex.enrolment !== 'not-enrolled';
  const counts = !rb.disputes.suspend;
  return {
    ...ex,
    outcome: withWhy(
      rb,
      { ...ex.outcome, asOf: formatInstant(asOf) },
      consent === undefined ? undefined : { facts, consent, asOf },
    ),
    ...(ex.outcome.status === 'scored'
      ? {
          total: scoreTotal(
            ex.outcome.scale,
            ex.contributions.reduce((sum, c) => sum + c.points, 0),
            ex.outcome.score,
          ),
        }
      : {}),
    counterfactuals: ex.counterfactuals.map((cf) => ({
      ...cf,
      what: counterfactualWhat(cf, ex.outcome.status === 'scored' ? ex.outcome.score : undefined),
    })),
    contributions: ex.contributions.map(({ occurredAt, ...c }) => ({
      ...c,
      ...(occurredAt !== undefined ? { occurredAt: formatInstant(occurredAt) } : {}),
      category: pointCategory(rb, c) ?? null,
      rule: pointRule(rb, c) ?? null,
      what: contributionWhat(rb, { ...c, ...(occurredAt !== undefined ? { occurredAt } : {}) }),
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

/**
 * A counterfactual in one sentence: the code, points and score alone do not say "without" what, or
 * against which score.
 *
 * @example
 * counterfactualWhat({ text: 'Loan repayment overdue', points: -60, without: 690 }, 630) // 'Without "Loan repayment overdue" (60 points taken off), your score would be 690 instead of 630.'
 */
export function counterfactualWhat(
  cf: { readonly text: string; readonly points: number; readonly without: number },
  score: number | undefined,
): string {
  const pts = `${pointsIn(cf.points)} ${cf.points < 0 ? 'taken off' : 'given'}`;
  return `Without "${cf.text}" (${pts}), your score would be ${cf.without}${
    score !== undefined ? ` instead of ${score}` : ''
  }.`;
}

const pointsIn = (x: number): string => `${Math.abs(x)} point${Math.abs(x) === 1 ? '' : 's'}`;
const moves = (x: number): string => (x < 0 ? `takes ${pointsIn(x)} off` : `gives ${pointsIn(x)}`);

/**
 * A point in one sentence a person reads without the rulebook's terms beside it: what it is for,
 * the fact it comes from (what, from whom, when), what it counts now and, when that is less than
 * it counted at first, why (points fade with age); then its rule in words (`pointWords`: the
 * condition, the points, the cap, how long it counts). `raw` and `points` alone read as two
 * unexplained numbers, and `P1Y` or `P30D` as codes.
 *
 * @example
 * contributionWhat(rb, c) // 'Regular payments with the wallet: your payment.completed from pay of 24 April 2026, 04:58:17 UTC gives 3 points. The rule: …'
 */
export function contributionWhat(rb: CompiledRulebook, c: Contribution): string {
  const words = pointWords(rb, c);
  const rule = words ? ` The rule: ${words.rule}.` : '';
  if (c.kind === 'inactivity') {
    return `${c.reason.text}: ${c.points === 0 ? 'nothing taken off now' : `${moves(c.points)} now`}.${rule}`;
  }
  const fact = `your ${c.type ?? 'fact'}${c.source ? ` from ${c.source}` : ''}${
    c.occurredAt !== undefined ? ` of ${dateInWords(formatInstant(c.occurredAt))}` : ''
  }`;
  // What the rule gave before its cap: the ledger keeps it (`uncapped`, only when the cap took
  // some), whatever the rule's points are; a rule's fixed points stand in for a contribution built
  // without it.
  const r = rb.rules.find((x) => x.id === c.ruleId);
  const fixed = r && /^-?\d+(\.\d+)?$/.test(r.pointsText.trim()) ? Number(r.pointsText) : undefined;
  const gave = c.uncapped ?? fixed;
  const capped =
    gave !== undefined &&
    c.raw !== 0 &&
    Math.sign(gave) === Math.sign(c.raw) &&
    Math.abs(c.raw) < Math.abs(gave)
      ? ` (the rule's cap lets only ${pointsIn(c.raw)} of its ${pointsIn(gave)} count)`
      : '';
  const was = `${c.raw < 0 ? 'took' : 'gave'} ${pointsIn(c.raw)}${capped}`;
  let counts: string;
  if (c.raw === 0)
    counts =
      c.uncapped !== undefined && c.uncapped !== 0
        ? `counts nothing: the rule gave ${pointsIn(c.uncapped)} for it, but its cap let none of them count`
        : 'counts nothing: its rule gave no points for it';
  else if (c.points === c.raw) counts = `${moves(c.raw)}${capped}`;
  else if (c.points === 0) counts = `${was}, and no longer counts: it is too old`;
  else counts = `${was} at first and ${moves(c.points)} now, as points fade with age`;
  return `${c.reason.text}: ${fact} ${counts}.${rule}`;
}
