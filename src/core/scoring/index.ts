import { type ConsentEvent, consentVerdict } from '../consent/consent.js';
import { compareFacts, type ScoringFact } from '../facts/fact.js';
import type { CompiledRulebook } from '../rulebook/types.js';
import { type Explanation, explainEvaluation } from './explain.js';
import { buildLedgerSorted } from './ledger.js';
import { PersonState } from './person-state.js';
import { pastRetention } from './retention.js';
import { evaluateScore } from './score.js';
import type { ScoreOutcome } from './types.js';

export { decayed } from './decay.js';
export type { Counterfactual, Explanation, PolicyExplanation } from './explain.js';
export { inactivityPenalty } from './inactivity.js';
export { buildLedger, counts, evaluateFact, type RuleHit } from './ledger.js';
export { type LedgerDelta, PersonState } from './person-state.js';
export { durationWords, pointCategory, pointRule, pointWords } from './point-context.js';
export { explainPolicy } from './policy-explain.js';
export { deletionInstants, pastRetention } from './retention.js';
export { round2 } from './round.js';
export { clampScore, evaluateScore, KEY_FACTORS } from './score.js';
export { type ScoreTotal, scoreTotal } from './score-total.js';
export { tierOf } from './tiers.js';
export type * from './types.js';

/**
 * The score as a pure function of (facts, rulebook, asOf, consent). Facts may come in any
 * order; facts after `asOf` are never read.
 *
 * @example
 * scorePerson(rb, facts, Date.parse('2026-11-01T00:00:00Z'), []).status // 'scored'
 */
export function scorePerson(
  rb: CompiledRulebook,
  facts: readonly ScoringFact[],
  asOf: number,
  consent: readonly ConsentEvent[],
): ScoreOutcome {
  // Consent first: for an opted-out or not-enrolled person not one rule is evaluated.
  const verdict = consentVerdict(rb.enrollment, consent, asOf);
  if (!verdict.scorable)
    return { status: 'not-scored', program: rb.program, version: rb.version, asOf, reason: verdict.status };
  // One-shot: sort once and build the ledger once (no per-fact bookkeeping for later inserts).
  const kept = facts.filter(
    (f) =>
      f.at <= asOf &&
      (verdict.factsAfter === undefined || f.at > verdict.factsAfter) &&
      !pastRetention(rb, f, asOf),
  );
  const sorted = kept.sort(compareFacts);
  // The same (source, id) twice is one fact (DESIGN.md: re-sending it is a no-op), as in
  // PersonState, which keeps the first in application order.
  const seen = new Set<string>();
  let w = 0;
  for (const f of sorted) {
    if (seen.has(f.key)) continue;
    seen.add(f.key);
    sorted[w++] = f;
  }
  sorted.length = w;
  return evaluateScore(rb, sorted, buildLedgerSorted(rb, sorted), asOf, consent).outcome;
}

/** Every contribution, reason, counterfactual and policy reason behind a score. */
export function explainPerson(
  rb: CompiledRulebook,
  facts: readonly ScoringFact[],
  asOf: number,
  consent: readonly ConsentEvent[],
): Explanation {
  const verdict = consentVerdict(rb.enrollment, consent, asOf);
  if (!verdict.scorable) {
    return explainEvaluation(rb, { outcome: scorePerson(rb, [], asOf, consent), verdict }, []);
  }
  // Facts before the person came in (see `factsAfter`) are not even evaluated.
  const floor = verdict.factsAfter ?? Number.NEGATIVE_INFINITY;
  return new PersonState(
    rb,
    facts.filter((f) => f.at <= asOf && f.at > floor),
  ).explain(asOf, consent);
}
