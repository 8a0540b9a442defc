import type { ScoringFact } from '../facts/fact.js';
import type { CompiledFlag, CompiledRulebook } from '../rulebook/types.js';
import { counts } from './ledger.js';
import { explainPolicy } from './policy-explain.js';
import { round2 } from './round.js';
import { clampScore, type Evaluation } from './score.js';
import type { Contribution, ScoreOutcome } from './types.js';

export interface Counterfactual {
  readonly code: string;
  readonly text: string;
  readonly points: number;
  /** The score without this reason's contributions ("without this, 1014"). */
  readonly without: number;
}

export interface PolicyExplanation {
  readonly id: string;
  readonly kind: 'privilege' | 'restriction';
  readonly context: string;
  readonly holds: boolean;
  readonly when: string;
  readonly because: readonly string[];
  readonly legalBasis?: string;
  readonly description?: string;
}

/** Everything behind a score: each point with its fact, source, rule and rulebook version. */
export interface Explanation {
  readonly outcome: ScoreOutcome;
  readonly enrolment: string;
  readonly rulebook: { readonly program: string; readonly name: string; readonly version: number };
  readonly base: number;
  readonly contributions: readonly Contribution[];
  readonly counterfactuals: readonly Counterfactual[];
  readonly policies: readonly PolicyExplanation[];
  /** For each flag held, the fact that set it. */
  readonly flags: readonly { readonly id: string; readonly text: string; readonly setBy?: string }[];
}

export function explainEvaluation(
  rb: CompiledRulebook,
  ev: Evaluation,
  sorted: readonly ScoringFact[],
): Explanation {
  const rulebook = { program: rb.program, name: rb.name, version: rb.version };
  const common = { rulebook, base: rb.scale.base, enrolment: ev.verdict.status };
  if (ev.outcome.status !== 'scored' || !ev.contributions || ev.total === undefined || !ev.policyInput) {
    return {
      outcome: ev.outcome,
      ...common,
      contributions: [],
      counterfactuals: [],
      policies: [],
      flags: [],
    };
  }
  const total = ev.total;
  const counterfactuals = ev.outcome.reasons.map((r) => {
    const sum = ev.contributions!.filter((c) => c.reason.code === r.code).reduce((s, c) => s + c.points, 0);
    return { code: r.code, text: r.text, points: r.points, without: clampScore(rb, total - sum) };
  });
  const input = ev.policyInput;
  const policies = [...rb.privileges, ...rb.restrictions].map((p) => ({
    id: p.id,
    kind: p.kind,
    context: p.context,
    holds: p.when(input),
    when: p.whenText,
    because: explainPolicy(p, input),
    ...(p.legalBasis ? { legalBasis: p.legalBasis } : {}),
    ...(p.description ? { description: p.description } : {}),
  }));
  const asOf = ev.outcome.asOf;
  const floor = (ev.verdict.scorable ? ev.verdict.factsAfter : undefined) ?? Number.NEGATIVE_INFINITY;
  const counted = (f: ScoringFact): boolean => f.at <= asOf && f.at > floor && counts(rb, f);
  const flags = ev.outcome.flags.map((id) => {
    const def = rb.flags.find((f) => f.id === id);
    const setBy = def ? listingHolding(def, sorted, counted) : undefined;
    return { id, text: def?.reason.text ?? id, ...(setBy ? { setBy: setBy.key } : {}) };
  });
  const contributions = ev.contributions.map((c) => ({ ...c, points: round2(c.points) }));
  return { outcome: ev.outcome, ...common, contributions, counterfactuals, policies, flags };
}

/**
 * The listing that holds a flag, as `flagsAt` decides it: walking the counted set and clear facts
 * in application order, each key's latest listing not removed since; of those still open, the
 * latest. Not simply the latest listing: with `key`, that one may have been removed while an
 * earlier one still holds, and a fact before an opt-out or suspended by a dispute holds nothing.
 */
function listingHolding(
  flag: CompiledFlag,
  sorted: readonly ScoringFact[],
  counted: (f: ScoringFact) => boolean,
): ScoringFact | undefined {
  const open = new Map<string, ScoringFact>();
  for (const f of sorted) {
    if (f.type !== flag.set && f.type !== flag.clear) continue;
    if (!counted(f)) continue;
    const key = flag.key ? flag.key.map((k) => String(f.data[k])).join('\u0000') : '';
    // Re-inserted so the map's order stays the order of the latest listing per key.
    open.delete(key);
    if (f.type === flag.set) open.set(key, f);
  }
  return [...open.values()].at(-1);
}
