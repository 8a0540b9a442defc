import { type ConsentEvent, type ConsentVerdict, consentVerdict } from '../consent/consent.js';
import type { ScoringFact } from '../facts/fact.js';
import type { CompiledInactivity, CompiledRulebook, PolicyInput, Reason } from '../rulebook/types.js';
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

/**
 * `clamp(round(base + Σ), min, max)`, halves up (DESIGN.md). The sum is read to 12 significant
 * digits first: points written in decimals carry binary noise (0.7 − 0.2 is 0.49999999999999994),
 * which put a half below the line, so a score by hand of 1 was 0; what is left after 12 digits is a
 * real difference, not noise (a decayed 0.4999996 stays below the half). No score is −0.
 */
export function clampScore(rb: CompiledRulebook, total: number): number {
  const { min, max, base } = rb.scale;
  const r = Math.min(max, Math.max(min, Math.round(Number((base + total).toPrecision(12)))));
  return r === 0 ? 0 : r;
}

/**
 * Deductions first, largest first; then additions, largest first; ties by code, both ways. Not by
 * the order the rules are written in: moving a rule up the file changes no outcome, and so not
 * which key factors of equal weight a relying party is told.
 */
function byReasonOrder(a: ReasonLine, b: ReasonLine): number {
  const byPoints = a.points < 0 || b.points < 0 ? a.points - b.points : b.points - a.points;
  return byPoints || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
}

interface ReasonIndex {
  readonly byReason: Map<Reason, number>;
  readonly byCode: Map<string, number>;
  readonly codes: string[];
  readonly texts: string[];
  readonly scratch: Float64Array;
  readonly seen: Uint8Array;
  readonly dimScratch: Float64Array;
  readonly dimSeen: Uint8Array;
}
const reasonIndexes = new WeakMap<CompiledRulebook, ReasonIndex>();
/** Each reason code of a rulebook numbered once, in declaration order (the first text wins). */
function reasonIndex(rb: CompiledRulebook): ReasonIndex {
  let rx = reasonIndexes.get(rb);
  if (!rx) {
    const byReason = new Map<Reason, number>();
    const byCode = new Map<string, number>();
    const codes: string[] = [];
    const texts: string[] = [];
    for (const r of [...rb.rules.map((x) => x.reason), ...rb.inactivity.map((x) => x.reason)]) {
      let i = byCode.get(r.code);
      if (i === undefined) {
        i = codes.length;
        byCode.set(r.code, i);
        codes.push(r.code);
        texts.push(r.text);
      }
      byReason.set(r, i);
    }
    rx = {
      byReason,
      byCode,
      codes,
      texts,
      scratch: new Float64Array(codes.length),
      seen: new Uint8Array(codes.length),
      dimScratch: new Float64Array(rb.dimensions.length),
      dimSeen: new Uint8Array(rb.dimensions.length),
    };
    reasonIndexes.set(rb, rx);
  }
  return rx;
}

/** Per rulebook: for each event type, the indexes of the inactivity rules that list it. */
const inactivityIndex = new WeakMap<CompiledRulebook, ReadonlyMap<string, readonly number[]>>();
function inactivityByType(rb: CompiledRulebook): ReadonlyMap<string, readonly number[]> {
  let m = inactivityIndex.get(rb);
  if (!m) {
    const built = new Map<string, number[]>();
    rb.inactivity.forEach((r, i) => {
      for (const t of r.of) built.set(t, [...(built.get(t) ?? []), i]);
    });
    m = built;
    inactivityIndex.set(rb, m);
  }
  return m;
}

/**
 * A person's facts and ledger as flat arrays of numbers, for the score query's hot loops: one
 * contiguous read per field instead of one heap object per fact and entry (cache misses were
 * most of a query's time). Built once per change of the person's state; the loops over it add
 * the same numbers in the same order as the loops over objects, so the results are identical.
 */
export interface ScoreView {
  readonly factAt: Float64Array;
  readonly factCounts: Uint8Array;
  readonly factInactivity: readonly (readonly number[] | undefined)[];
  readonly entryAt: Float64Array;
  readonly entryRaw: Float64Array;
  /** 0 none, 1 expires, 2 half-life. */
  readonly entryDecay: Uint8Array;
  readonly entryDecayMs: Float64Array;
  readonly entryReason: Int32Array;
  /** Index into the rulebook's dimensions, or -1. */
  readonly entryDimension: Int32Array;
  /** Per flag, its set and clear facts only: fact index, set (true) or clear, and the key. */
  readonly flagEvents: readonly (readonly { i: number; set: boolean; key: string }[])[];
}

export function buildScoreView(
  rb: CompiledRulebook,
  sorted: readonly ScoringFact[],
  ledger: readonly LedgerEntry[],
): ScoreView {
  const byType = inactivityByType(rb);
  const rx = reasonIndex(rb);
  const nf = sorted.length;
  const factAt = new Float64Array(nf);
  const factCounts = new Uint8Array(nf);
  const factInactivity: (readonly number[] | undefined)[] = new Array(nf);
  for (let i = 0; i < nf; i++) {
    const f = sorted[i] as ScoringFact;
    factAt[i] = f.at;
    factCounts[i] = counts(rb, f) ? 1 : 0;
    factInactivity[i] = byType.get(f.type);
  }
  const ne = ledger.length;
  const entryAt = new Float64Array(ne);
  const entryRaw = new Float64Array(ne);
  const entryDecay = new Uint8Array(ne);
  const entryDecayMs = new Float64Array(ne);
  const entryReason = new Int32Array(ne);
  const entryDimension = new Int32Array(ne);
  for (let i = 0; i < ne; i++) {
    const e = ledger[i] as LedgerEntry;
    entryAt[i] = e.at;
    entryRaw[i] = e.raw;
    entryDecay[i] = e.decay.kind === 'none' ? 0 : e.decay.kind === 'expires' ? 1 : 2;
    entryDecayMs[i] = e.decay.kind === 'none' ? 0 : e.decay.ms;
    entryReason[i] = rx.byReason.get(e.reason) ?? (rx.byCode.get(e.reason.code) as number);
    entryDimension[i] = e.dimension === undefined ? -1 : rb.dimensions.indexOf(e.dimension);
  }
  const flagEvents = rb.flags.map((flag) => {
    const events: { i: number; set: boolean; key: string }[] = [];
    sorted.forEach((f, i) => {
      if (f.type !== flag.set && f.type !== flag.clear) return;
      const key = flag.key ? flag.key.map((k) => String(f.data[k])).join('\u0000') : '';
      events.push({ i, set: f.type === flag.set, key });
    });
    return events;
  });
  return {
    factAt,
    factCounts,
    factInactivity,
    entryAt,
    entryRaw,
    entryDecay,
    entryDecayMs,
    entryReason,
    entryDimension,
    flagEvents,
  };
}

/** `flagsAt` over the view: the same listings and removals, in the same order. */
function flagsFromView(rb: CompiledRulebook, view: ScoreView, asOf: number, floor: number): string[] {
  const held: string[] = [];
  rb.flags.forEach((flag, fi) => {
    const events = view.flagEvents[fi] as readonly { i: number; set: boolean; key: string }[];
    if (events.length === 0) return;
    const open = new Set<string>();
    for (const ev of events) {
      const at = view.factAt[ev.i] as number;
      if (at > asOf || at <= floor || view.factCounts[ev.i] === 0) continue;
      if (ev.set) open.add(ev.key);
      else open.delete(ev.key);
    }
    if (open.size > 0) held.push(flag.id);
  });
  return held;
}

function upToArray(at: Float64Array, asOf: number): number {
  let lo = 0;
  let hi = at.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((at[mid] as number) <= asOf) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** How many facts (in application order) occurred at or before `asOf`. */
function upTo<T extends { readonly at: number }>(items: readonly T[], asOf: number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((items[mid] as T).at <= asOf) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Scores one person in one program at `asOf`, from facts in application order and the ledger
 * built from exactly those facts. Consent is judged first: an opted-out or not-enrolled person
 * gets an answer without a single point being computed. This is the hot path of every score
 * query, so it walks facts and entries once each and allocates little.
 */
export function evaluateScore(
  rb: CompiledRulebook,
  sorted: readonly ScoringFact[],
  ledger: readonly LedgerEntry[],
  asOf: number,
  consent: readonly ConsentEvent[],
  detail = false,
  view?: ScoreView,
): Evaluation {
  const base = { program: rb.program, version: rb.version, asOf };
  const verdict = consentVerdict(rb.enrollment, consent, asOf);
  if (!verdict.scorable)
    return { outcome: { status: 'not-scored', ...base, reason: verdict.status }, verdict };
  const floor = verdict.factsAfter ?? Number.NEGATIVE_INFINITY;
  const include = (f: ScoringFact): boolean => f.at <= asOf && f.at > floor && counts(rb, f);

  // One pass over the facts up to as-of: the count, the first, and each inactivity rule's last.
  const byType = rb.inactivity.length > 0 ? inactivityByType(rb) : undefined;
  const lastOf: (number | undefined)[] = byType ? new Array(rb.inactivity.length) : [];
  let counted = 0;
  let firstAt: number | undefined;
  if (view && !detail) {
    const nFacts = upToArray(view.factAt, asOf);
    for (let i = 0; i < nFacts; i++) {
      const at = view.factAt[i] as number;
      if (at <= floor || view.factCounts[i] === 0) continue;
      counted++;
      firstAt ??= at;
      const rules = view.factInactivity[i];
      if (rules) for (const r of rules) lastOf[r] = at;
    }
  } else {
    const nFacts = upTo(sorted, asOf);
    for (let i = 0; i < nFacts; i++) {
      const f = sorted[i] as ScoringFact;
      if (f.at <= floor || !counts(rb, f)) continue;
      counted++;
      firstAt ??= f.at;
      const rules = byType?.get(f.type);
      if (rules) for (const r of rules) lastOf[r] = f.at;
    }
  }
  if (counted < rb.minFacts) {
    return { outcome: { status: 'not-scored', ...base, reason: 'insufficient-data' }, verdict };
  }

  const dims: Record<string, number> = {};
  for (const d of rb.dimensions) dims[d] = 0;
  const contributions: Contribution[] | undefined = detail ? [] : undefined;
  // Sums per reason code in a scratch array indexed by a number fixed per rulebook: no objects
  // per entry on the hot path (fewer collections, a shorter tail).
  const rx = reasonIndex(rb);
  const sums = rx.scratch;
  sums.fill(0);
  const seen = rx.seen;
  seen.fill(0);
  const addReason = (reason: Reason, points: number) => {
    const i = rx.byReason.get(reason) ?? (rx.byCode.get(reason.code) as number);
    sums[i] = (sums[i] as number) + points;
    seen[i] = 1;
  };
  let total = 0;
  if (view && !detail) {
    const dimSums = rx.dimScratch;
    dimSums.fill(0);
    const dimSeen = rx.dimSeen;
    dimSeen.fill(0);
    const n = upToArray(view.entryAt, asOf);
    for (let i = 0; i < n; i++) {
      const at = view.entryAt[i] as number;
      if (at <= floor) continue;
      const raw = view.entryRaw[i] as number;
      const kind = view.entryDecay[i];
      // Exactly decayed(): the same operations in the same order.
      const points =
        kind === 0
          ? raw
          : kind === 1
            ? asOf < at + (view.entryDecayMs[i] as number)
              ? raw
              : 0
            : raw * 0.5 ** ((asOf - at) / (view.entryDecayMs[i] as number));
      total += points;
      const d = view.entryDimension[i] as number;
      if (d >= 0) {
        dimSums[d] = (dimSums[d] as number) + points;
        dimSeen[d] = 1;
      }
      const r = view.entryReason[i] as number;
      sums[r] = (sums[r] as number) + points;
      seen[r] = 1;
    }
    rb.dimensions.forEach((name, d) => {
      if (dimSeen[d] === 1) dims[name] = (dims[name] as number) + (dimSums[d] as number);
    });
  }
  const nEntries = view && !detail ? 0 : upTo(ledger, asOf);
  for (let i = 0; i < nEntries; i++) {
    const e = ledger[i] as LedgerEntry;
    if (e.at <= floor) continue;
    const points = e.decay.kind === 'none' ? e.raw : decayed(e.raw, e.decay, e.at, asOf);
    total += points;
    if (e.dimension !== undefined) dims[e.dimension] = (dims[e.dimension] ?? 0) + points;
    addReason(e.reason, points);
    contributions?.push({
      kind: 'rule',
      ruleId: e.ruleId,
      factKey: e.factKey,
      factId: e.factId,
      source: e.source,
      type: e.type,
      occurredAt: e.at,
      raw: e.raw,
      ...(e.raw !== e.points ? { uncapped: e.points } : {}),
      points,
      ...(e.dimension !== undefined ? { dimension: e.dimension } : {}),
      reason: e.reason,
      version: rb.version,
    });
  }

  const enrolledAt = verdict.enrolledAt ?? firstAt;
  for (let i = 0; i < rb.inactivity.length; i++) {
    const rule = rb.inactivity[i] as CompiledInactivity;
    const last = lastOf[i] ?? (enrolledAt !== undefined && enrolledAt <= asOf ? enrolledAt : undefined);
    const points = inactivityPenalty(rule, last, asOf);
    if (points === 0 && !detail) continue;
    total += points;
    if (rule.dimension !== undefined) dims[rule.dimension] = (dims[rule.dimension] ?? 0) + points;
    addReason(rule.reason, points);
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
  for (const d of rb.dimensions) dims[d] = round2(dims[d] as number);
  const dimensions = dims;
  const flags = view && !detail ? flagsFromView(rb, view, asOf, floor) : flagsAt(rb.flags, sorted, include);
  const reasons: ReasonLine[] = [];
  for (let i = 0; i < rx.codes.length; i++) {
    if (seen[i] === 0) continue;
    const points = round2(sums[i] as number);
    if (points !== 0) reasons.push({ code: rx.codes[i] as string, text: rx.texts[i] as string, points });
  }
  reasons.sort(byReasonOrder);
  const keyFactors: ReasonLine[] = [];
  for (const r of reasons) {
    if (r.points >= 0 || keyFactors.length === KEY_FACTORS) break;
    keyFactors.push(r);
  }
  const policyInput: PolicyInput = { score, tier, dimensions, flags };
  const privileges: Record<string, boolean> = {};
  for (const p of rb.privileges) privileges[p.id] = p.when(policyInput);
  const restrictions: Record<string, boolean> = {};
  for (const p of rb.restrictions) restrictions[p.id] = p.when(policyInput);
  const outcome: Scored = {
    status: 'scored',
    program: rb.program,
    version: rb.version,
    asOf,
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
