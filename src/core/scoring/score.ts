import { type ConsentEvent, type ConsentVerdict, consentVerdict } from '../consent/consent.js';
import type { ScoringFact } from '../facts/fact.js';
import type { CompiledRulebook, PolicyInput, Reason } from '../rulebook/types.js';
import { decayed } from './decay.js';
import { flagsAt } from './flags.js';
import { inactivityPenalty } from './inactivity.js';
import { counts } from './ledger.js';
import { round2 } from './round.js';
import { tierOf } from './tiers.js';
import type { Contribution, LedgerEntry, ReasonLine, Scored, ScoreOutcome } from './types.js';

/** Up to four key factors, as credit-report adverse-action notices give. */
export const KEY_FACTORS = 4;

export interface Evaluation {
  readonly outcome: ScoreOutcome;
  readonly verdict: ConsentVerdict;
  /** Only with `detail`: every contribution at as-of, zero ones included. */
  readonly contributions?: readonly Contribution[];
  /** The unrounded sum of contributions, for counterfactuals. */
  readonly total?: number;
  readonly policyInput?: PolicyInput;
}

export function clampScore(rb: CompiledRulebook, total: number): number {
  const { min, max, base } = rb.scale;
  return Math.min(max, Math.max(min, Math.round(base + total)));
}

/** Reasons grouped by code: largest negative first, then largest positive; zero groups left out. */
export function groupReasons(items: Iterable<{ reason: Reason; points: number }>): ReasonLine[] {
  const groups = new Map<string, { text: string; points: number }>();
  for (const c of items) {
    const g = groups.get(c.reason.code);
    if (g) g.points += c.points;
    else groups.set(c.reason.code, { text: c.reason.text, points: c.points });
  }
  const lines: ReasonLine[] = [];
  for (const [code, g] of groups) {
    const points = round2(g.points);
    if (points !== 0) lines.push({ code, text: g.text, points });
  }
  return lines.sort((a, b) => {
    if (a.points < 0 || b.points < 0) return a.points - b.points;
    return b.points - a.points || (a.code < b.code ? -1 : 1);
  });
}

/**
 * Scores one person in one program at `asOf`, from facts in application order and the ledger
 * built from exactly those facts. Consent is judged first: an opted-out or not-enrolled person
 * gets an answer without a single point being computed.
 */
export function evaluateScore(
  rb: CompiledRulebook,
  sorted: readonly ScoringFact[],
  ledger: readonly LedgerEntry[],
  asOf: number,
  consent: readonly ConsentEvent[],
  detail = false,
): Evaluation {
  const base = { program: rb.program, version: rb.version, asOf };
  const verdict = consentVerdict(rb.enrollment, consent, asOf);
  if (!verdict.scorable)
    return { outcome: { status: 'not-scored', ...base, reason: verdict.status }, verdict };
  const floor = verdict.factsAfter ?? Number.NEGATIVE_INFINITY;
  const include = (f: ScoringFact) => f.at <= asOf && f.at > floor && counts(rb, f);

  let counted = 0;
  let firstAt: number | undefined;
  for (const f of sorted) {
    if (f.at > asOf) break;
    if (include(f)) {
      counted++;
      firstAt ??= f.at;
    }
  }
  if (counted < rb.minFacts) {
    return { outcome: { status: 'not-scored', ...base, reason: 'insufficient-data' }, verdict };
  }

  const dims: Record<string, number> = {};
  for (const d of rb.dimensions) dims[d] = 0;
  const contributions: Contribution[] | undefined = detail ? [] : undefined;
  const reasonItems: { reason: Reason; points: number }[] = [];
  let total = 0;
  for (const e of ledger) {
    if (e.at > asOf) break;
    if (e.at <= floor) continue;
    const points = decayed(e.raw, e.decay, e.at, asOf);
    total += points;
    if (e.dimension !== undefined) dims[e.dimension] = (dims[e.dimension] ?? 0) + points;
    reasonItems.push({ reason: e.reason, points });
    contributions?.push({
      kind: 'rule',
      ruleId: e.ruleId,
      factKey: e.factKey,
      factId: e.factId,
      source: e.source,
      type: e.type,
      occurredAt: e.at,
      raw: e.raw,
      points,
      ...(e.dimension !== undefined ? { dimension: e.dimension } : {}),
      reason: e.reason,
      version: rb.version,
    });
  }

  for (const rule of rb.inactivity) {
    let last: number | undefined;
    for (const f of sorted) {
      if (f.at > asOf) break;
      if (include(f) && rule.of.includes(f.type)) last = f.at;
    }
    const enrolledAt = verdict.enrolledAt ?? firstAt;
    last ??= enrolledAt !== undefined && enrolledAt <= asOf ? enrolledAt : undefined;
    const points = inactivityPenalty(rule, last, asOf);
    if (points === 0 && !detail) continue;
    total += points;
    if (rule.dimension !== undefined) dims[rule.dimension] = (dims[rule.dimension] ?? 0) + points;
    reasonItems.push({ reason: rule.reason, points });
    contributions?.push({
      kind: 'inactivity',
      ruleId: rule.id,
      raw: points,
      points,
      ...(rule.dimension !== undefined ? { dimension: rule.dimension } : {}),
      reason: rule.reason,
      version: rb.version,
    });
  }

  const score = clampScore(rb, total);
  const tier = tierOf(rb.tiers, score);
  const dimensions: Record<string, number> = {};
  for (const [k, v] of Object.entries(dims)) dimensions[k] = round2(v);
  const flags = flagsAt(rb.flags, sorted, include);
  const reasons = groupReasons(reasonItems);
  const keyFactors = reasons.filter((r) => r.points < 0).slice(0, KEY_FACTORS);
  const policyInput: PolicyInput = { score, tier, dimensions, flags };
  const privileges: Record<string, boolean> = {};
  for (const p of rb.privileges) privileges[p.id] = p.when(policyInput);
  const restrictions: Record<string, boolean> = {};
  for (const p of rb.restrictions) restrictions[p.id] = p.when(policyInput);
  const outcome: Scored = {
    status: 'scored',
    ...base,
    score,
    scale: rb.scale,
    tier,
    dimensions,
    reasons,
    keyFactors,
    flags,
    privileges,
    restrictions,
    factsCounted: counted,
  };
  return {
    outcome,
    verdict,
    total,
    policyInput,
    ...(contributions ? { contributions } : {}),
  };
}
