import type { ScoringFact } from '../../../core/facts/fact.js';
import type { CompiledPolicy, CompiledRulebook } from '../../../core/rulebook/index.js';
import type { Explanation, NotScored, Scored } from '../../../core/scoring/index.js';
import { DISPUTE_DAYS } from '../../services/dispute-service.js';

/** The key factor of a denial that no fact lowered: the score is short of positive history. */
export const LIMITED_HISTORY = 'LIMITED_POSITIVE_HISTORY';

/** What a credit adverse-action notice carries (US FCRA): the person is told why and how to contest. */
export interface AdverseActionNotice {
  keyFactors: { code: string; text: string; points: number; disputed?: true }[];
  /** Absent when the person is not scored: no number exists to send. */
  readonly score?: number;
  readonly range: { readonly min: number; readonly max: number };
  readonly scoredAt: string;
  readonly source: {
    readonly provider: string;
    readonly program: string;
    readonly version: number;
    /** The furnishers whose facts make up the key factors. */
    furnishers: string[];
  };
  because: string[];
  readonly dispute: { readonly how: string; readonly deadlineDays: number };
}

const DISPUTE = {
  how: 'You may get a free copy of your file (GET /v1/me/file with your person token) and dispute any fact in it (POST /v1/me/disputes); a disputed fact is marked while under review and is retracted if the dispute is upheld.',
  deadlineDays: DISPUTE_DAYS,
} as const;

/** Why no score exists, in words the person can act on (the key factor of a not-scored notice). */
export function notScoredFactor(
  rb: CompiledRulebook,
  o: Pick<NotScored, 'reason'>,
): { code: string; text: string; points: number } {
  switch (o.reason) {
    case 'opted-out':
      return {
        code: 'OPTED_OUT',
        // True for any date asked, also before a later opt-in: a person opted in again is not told
        // to opt in, and learns why that date still has no score (docs/policy.md §3).
        text: 'You opted out of this program, so no score about you exists for this date. If you opt in (again), only what happens after that is ever scored.',
        points: 0,
      };
    case 'not-enrolled':
      return {
        code: 'NOT_ENROLLED',
        text: 'This program scores only people who opt in, and only what happens after they do. You had not opted in by this date, so no score about you exists for it.',
        points: 0,
      };
    default:
      return {
        code: 'INSUFFICIENT_DATA',
        text: `Too few facts in your file count in this program to compute a score (it needs ${rb.minFacts}).`,
        points: 0,
      };
  }
}

/**
 * The one key factor a relying party is sent for any person without a score. The reason (opted
 * out, not opted in, too few facts) is the person's alone: told to a relying party, `OPTED_OUT`
 * would disclose the opt-out itself, and in an opt-out program `NOT_ENROLLED` and
 * `INSUFFICIENT_DATA` would disclose it by elimination. The person reads which one in their own
 * view (`GET /v1/me/scores/{program}`, the inquiry list).
 */
export function noScoreFactor(program: string): { code: 'NO_SCORE'; text: string; points: 0 } {
  return {
    code: 'NO_SCORE',
    // The program's own route: the person reads this sentence, not a template to fill in.
    text: `Credence holds no score about you in this program for this date, so none was sent. Your own file says why (GET /v1/me/scores/${program} with your person token).`,
    points: 0,
  };
}

/**
 * The notice for a privilege asked about a person who is not scored (opted out, not enrolled, too
 * few facts): the relying party decides without a score, and a refusal must still tell the person
 * that no score was used, from whom and how to contest — with no score in it, since none exists,
 * and without the reason, which the relying party reads too (`noScoreFactor`).
 *
 * @example
 * notScoredNotice(rb, { status: 'not-scored', reason: 'insufficient-data', … })
 */
export function notScoredNotice(rb: CompiledRulebook, o: NotScored): AdverseActionNotice {
  return {
    keyFactors: [noScoreFactor(rb.program)],
    range: { min: rb.scale.min, max: rb.scale.max },
    scoredAt: new Date(o.asOf).toISOString(),
    source: { provider: 'Credence', program: rb.program, version: rb.version, furnishers: [] },
    because: [],
    dispute: { ...DISPUTE },
  };
}

/**
 * The flags behind a denial: those the person holds that the policy reads against them — a
 * restriction that needs the flag, a privilege that needs its absence (as the policy's own
 * explanation says), or any read flag without which the policy would not deny. Each is a key
 * factor in the words of the flag's reason, with the fact that set it.
 */
function flagFactors(
  rb: CompiledRulebook,
  o: Scored,
  ex: Explanation,
  policy: CompiledPolicy,
  because: readonly string[],
): { code: string; text: string; points: number; setBy?: string }[] {
  const read = ex.flags.filter((f) => policy.reads.allFlags || policy.reads.flags.includes(f.id));
  if (read.length === 0) return [];
  const input = { score: o.score, tier: o.tier, dimensions: o.dimensions, flags: o.flags };
  const ids = new Set(read.map((f) => f.id));
  const without = { ...input, flags: o.flags.filter((f) => !ids.has(f)) };
  const decisive = policy.when(without) !== policy.when(input);
  // Conditions said as alternatives start with "or " (explainPolicy).
  const against = (id: string) =>
    because
      .map((b) => b.replace(/^or /, ''))
      .includes(
        policy.kind === 'privilege' ? `needs no "${id}" flag: has it ✗` : `needs the "${id}" flag: has it ✓`,
      );
  return read
    .filter((f) => decisive || against(f.id))
    .map((f) => {
      const def = rb.flags.find((d) => d.id === f.id);
      return {
        code: def?.reason.code ?? f.id,
        text: def?.reason.text ?? f.text,
        points: 0,
        ...(f.setBy !== undefined ? { setBy: f.setBy } : {}),
      };
    });
}

/**
 * The reason codes that a fact under the person's dispute at as-of moves the score by (their
 * contributions in `ex`, in the factor's direction or any when the factor gives 0): a program that
 * does not suspend disputed facts still counts them, and whoever is sent such a factor must be
 * told it is disputed (US FCRA §611(c)). `disputed`: fact keys under dispute at as-of.
 */
export function disputedCodes(
  ex: Explanation,
  disputed: ReadonlySet<string>,
): ReadonlyMap<string, { neg: boolean; pos: boolean }> {
  const out = new Map<string, { neg: boolean; pos: boolean }>();
  if (disputed.size === 0) return out;
  for (const c of ex.contributions) {
    if (c.factKey === undefined || c.points === 0 || !disputed.has(c.factKey)) continue;
    const seen = out.get(c.reason.code) ?? { neg: false, pos: false };
    if (c.points < 0) seen.neg = true;
    else seen.pos = true;
    out.set(c.reason.code, seen);
  }
  return out;
}

/** `factors` with `disputed: true` on each that a disputed fact makes up (`disputedCodes`). */
export function markDisputed<T extends { readonly code: string; readonly points: number }>(
  factors: readonly T[],
  codes: ReadonlyMap<string, { neg: boolean; pos: boolean }>,
): (T & { disputed?: true })[] {
  return factors.map((k) => {
    const seen = codes.get(k.code);
    const hit =
      seen !== undefined && (k.points < 0 ? seen.neg : k.points > 0 ? seen.pos : seen.neg || seen.pos);
    return hit ? { ...k, disputed: true as const } : k;
  });
}

/**
 * Builds the notice for a denial from the score and its explanation: the flags the denial rests
 * on lead the key factors, then what lowered the score.
 *
 * `facts`: the person's facts as marked at as-of (`ScoreService.factsAt`), so a factor resting on a
 * fact under dispute then is marked `disputed`.
 *
 * @example
 * adverseActionNotice(rb, outcome, explanation, policy, ['score 940 < 1030'], facts)
 */
export function adverseActionNotice(
  rb: CompiledRulebook,
  o: Scored,
  ex: Explanation,
  policy: CompiledPolicy,
  because: readonly string[],
  facts: readonly ScoringFact[],
): AdverseActionNotice {
  const flags = flagFactors(rb, o, ex, policy, because);
  const keyFactors: { code: string; text: string; points: number }[] = [...flags, ...o.keyFactors].slice(
    0,
    4,
  );
  if (keyFactors.length === 0) {
    // Nothing lowered the score: it falls short for want of positive history, and a notice must
    // still say what held the person back, in words they can act on.
    keyFactors.push({
      code: LIMITED_HISTORY,
      text: 'Nothing in your file lowered your score; too little in it counts in your favour yet to reach what this needs.',
      points: 0,
    });
  }
  const codes = new Set(keyFactors.map((k) => k.code));
  // A factor is made up of the contributions that move the score its way at as-of: not one that
  // gives nothing now (expired, capped to 0) nor one pulling the other way under the same code.
  const lowered = new Set(o.keyFactors.filter((k) => codes.has(k.code) && k.points < 0).map((k) => k.code));
  const sourceOf = new Map(facts.map((f) => [f.key, f.source]));
  const furnishers = [
    ...new Set([
      ...ex.contributions
        .filter((c) => c.points < 0 && lowered.has(c.reason.code) && c.source !== undefined)
        .map((c) => c.source as string),
      ...flags
        .filter((f) => codes.has(f.code) && f.setBy !== undefined)
        .map((f) => sourceOf.get(f.setBy as string))
        .filter((s): s is string => s !== undefined),
    ]),
  ].sort();
  // A factor resting on a fact the person disputes says so (a flag by the fact that set it).
  const disputed = new Set(facts.filter((f) => f.disputed === true).map((f) => f.key));
  const byCode = disputedCodes(ex, disputed);
  const flagDisputed = new Set(
    flags.filter((f) => f.setBy !== undefined && disputed.has(f.setBy)).map((f) => f.code),
  );
  return {
    keyFactors: markDisputed(keyFactors, byCode).map((k) => ({
      code: k.code,
      text: k.text,
      points: k.points,
      ...(k.disputed === true || flagDisputed.has(k.code) ? { disputed: true as const } : {}),
    })),
    score: o.score,
    range: { min: rb.scale.min, max: rb.scale.max },
    scoredAt: new Date(o.asOf).toISOString(),
    source: { provider: 'Credence', program: rb.program, version: rb.version, furnishers },
    because: [...because],
    dispute: { ...DISPUTE },
  };
}
