import { CredenceError, isCredenceError } from '../errors/index.js';
import { compareFacts, type ScoringFact } from '../facts/fact.js';
import { MAX_POINTS } from '../rulebook/limits.js';
import type { CompiledRule, CompiledRulebook } from '../rulebook/types.js';
import type { LedgerEntry } from './types.js';

/** What one rule gave one fact before caps: computed once per fact, reused on every rebuild. */
export interface RuleHit {
  readonly rule: CompiledRule;
  readonly points: number;
}

const NO_HITS: readonly RuleHit[] = [];

/** Whether a fact takes part in a program at all: its type is declared and it is not suspended. */
export function counts(rb: CompiledRulebook, f: ScoringFact): boolean {
  return rb.events[f.type] !== undefined && !(f.disputed === true && rb.disputes.suspend);
}

/**
 * Evaluates every rule on one fact (its `when`, then its `points`). A rule that cannot be
 * evaluated is an error naming the fact and the rule, never a silent zero.
 */
export function evaluateFact(rb: CompiledRulebook, f: ScoringFact): readonly RuleHit[] {
  if (!counts(rb, f)) return NO_HITS;
  const rules = rb.rulesByType.get(f.type);
  if (!rules) return NO_HITS;
  let hits: RuleHit[] | undefined;
  for (const rule of rules) {
    let points: number;
    try {
      if (rule.when && !rule.when(f.data)) continue;
      points = rule.points(f.data);
    } catch (e) {
      // A stored rulebook's rule compiles on its first fact (`lazyRules`): an expression this
      // Credence refuses is the rulebook's problem, reported as such, not the fact's.
      if (isCredenceError(e) && e.code === 'CREDENCE_E_CEL') throw e;
      throw new CredenceError(
        'CREDENCE_E_FACT_INVALID',
        `rule "${rule.id}" of ${rb.program} could not be evaluated on fact ${f.key}: ${(e as Error).message.split('\n')[0]}`,
        { field: 'data' },
      );
    }
    if (!(points >= -MAX_POINTS && points <= MAX_POINTS)) {
      // NaN fails both comparisons. Beyond the bound, sums could overflow to Infinity (and NaN).
      throw new CredenceError(
        'CREDENCE_E_FACT_INVALID',
        `rule "${rule.id}" of ${rb.program} gave ${points} points for fact ${f.key}${Number.isFinite(points) ? `, beyond the ±${MAX_POINTS.toLocaleString('en')} one rule may give` : ''}`,
        { field: 'data' },
      );
    }
    if (points === 0) continue;
    hits ??= [];
    hits.push({ rule, points });
  }
  return hits ?? NO_HITS;
}

export function entry(f: ScoringFact, hit: RuleHit, raw: number): LedgerEntry {
  const r = hit.rule;
  return {
    factKey: f.key,
    source: f.source,
    factId: f.id,
    type: f.type,
    ruleId: r.id,
    at: f.at,
    points: hit.points,
    raw,
    // Always present (possibly undefined) so every entry has one shape for the JIT.
    dimension: r.dimension,
    reason: r.reason,
    decay: r.decay,
  };
}

/**
 * Walking back through a capped rule's earlier entries in the window of a new fact (latest first),
 * the running sum and its extremes over the windows that can hold the new fact: every window
 * `(t − per, t]` that holds it holds the entries from some instant on, so the sums are taken where
 * the instant changes (and 0, the fact alone). With points of one sign the extreme is the whole
 * window's sum; a rule whose points change sign (`fact.late ? -10 : 10`) needs the extremes, or a
 * deduction early in the window would make room for more than `max` of additions after it.
 */
export interface CapWalk {
  sum: number;
  hi: number;
  lo: number;
  at: number;
}

export function capWalkStart(): CapWalk {
  return { sum: 0, hi: 0, lo: 0, at: Number.NaN };
}

/** Takes one earlier entry (walking back, latest first) into the walk. */
export function capWalkStep(w: CapWalk, at: number, raw: number): void {
  if (at !== w.at) {
    if (w.sum > w.hi) w.hi = w.sum;
    if (w.sum < w.lo) w.lo = w.sum;
    w.at = at;
  }
  w.sum += raw;
}

/**
 * What a cap of `max` leaves for `points` after a walk of the window's earlier entries: in the
 * direction of the points, so that no window holding the fact goes past `max` (or `-max`).
 */
export function capAward(points: number, max: number, w: CapWalk): number {
  const hi = Math.max(w.sum, w.hi);
  const lo = Math.min(w.sum, w.lo);
  return points >= 0 ? Math.min(points, Math.max(0, max - hi)) : Math.max(points, Math.min(0, -max - lo));
}

/**
 * A cap bounds what a rule awards in any window `(t − per, t]` by `max`, in the direction of the
 * points: a fact at `t` gets what is left (raw points, before decay). Walks entries in
 * application order; each one sums only its own window.
 */
function allocateCap(entries: LedgerEntry[], indexes: number[], max: number, perMs: number): void {
  for (let k = 0; k < indexes.length; k++) {
    const i = indexes[k] as number;
    const e = entries[i] as LedgerEntry;
    // The window's sum, walking back from the latest: the incremental path in PersonState sums
    // the same entries in the same order, so both give the same bits.
    const walk = capWalkStart();
    for (let j = k - 1; j >= 0; j--) {
      const old = entries[indexes[j] as number] as LedgerEntry;
      if (old.at <= e.at - perMs) break;
      capWalkStep(walk, old.at, old.raw);
    }
    const raw = capAward(e.points, max, walk);
    if (raw !== e.raw) entries[i] = { ...e, raw };
  }
}

/**
 * Builds a ledger from facts already sorted in application order and their rule hits.
 * Shared by the full recomputation and the incremental state, so both give the same entries.
 */
export function ledgerFromHits(
  sorted: readonly ScoringFact[],
  hitsOf: (f: ScoringFact) => readonly RuleHit[],
): LedgerEntry[] {
  const entries: LedgerEntry[] = [];
  let capped: Map<CompiledRule, number[]> | undefined;
  for (const f of sorted) {
    for (const hit of hitsOf(f)) {
      if (hit.rule.cap) {
        capped ??= new Map();
        let list = capped.get(hit.rule);
        if (!list) {
          list = [];
          capped.set(hit.rule, list);
        }
        list.push(entries.length);
      }
      entries.push(entry(f, hit, hit.points));
    }
  }
  if (capped) for (const [rule, idx] of capped) allocateCap(entries, idx, rule.cap!.max, rule.cap!.perMs);
  return entries;
}

/**
 * A person's ledger in one program: for each fact (in `(occurredAt, source, id)` order) and
 * each rule that fires, the raw points after caps. Independent of as-of and of arrival order.
 *
 * @example
 * const ledger = buildLedger(rb, facts); // facts in any order
 */
export function buildLedger(rb: CompiledRulebook, facts: readonly ScoringFact[]): LedgerEntry[] {
  return buildLedgerSorted(rb, [...facts].sort(compareFacts));
}

/** `buildLedger` for facts already in application order. */
export function buildLedgerSorted(rb: CompiledRulebook, sorted: readonly ScoringFact[]): LedgerEntry[] {
  return ledgerFromHits(sorted, (f) => evaluateFact(rb, f));
}
