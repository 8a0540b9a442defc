import type { CompiledRulebook } from '../../../core/rulebook/index.js';
import type { Explanation, Scored } from '../../../core/scoring/index.js';
import { DISPUTE_DAYS } from '../../services/dispute-service.js';

/** The key factor of a denial that no fact lowered: the score is short of positive history. */
export const LIMITED_HISTORY = 'LIMITED_POSITIVE_HISTORY';

/** What a credit adverse-action notice carries (US FCRA): the person is told why and how to contest. */
export interface AdverseActionNotice {
  keyFactors: { code: string; text: string; points: number }[];
  readonly score: number;
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

/**
 * Builds the notice for a denial from the score and its explanation.
 *
 * @example
 * adverseActionNotice(rb, outcome, explanation, ['score 940 < 1030'])
 */
export function adverseActionNotice(
  rb: CompiledRulebook,
  o: Scored,
  ex: Explanation,
  because: readonly string[],
): AdverseActionNotice {
  const keyFactors: { code: string; text: string; points: number }[] = o.keyFactors.slice(0, 4);
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
  const furnishers = [
    ...new Set(
      ex.contributions
        .filter((c) => codes.has(c.reason.code) && c.source !== undefined)
        .map((c) => c.source as string),
    ),
  ].sort();
  return {
    keyFactors: keyFactors.map((k) => ({ code: k.code, text: k.text, points: k.points })),
    score: o.score,
    range: { min: rb.scale.min, max: rb.scale.max },
    scoredAt: new Date(o.asOf).toISOString(),
    source: { provider: 'Credence', program: rb.program, version: rb.version, furnishers },
    because: [...because],
    dispute: {
      how: 'You may get a free copy of your file (GET /v1/me/file with your person token) and dispute any fact in it (POST /v1/me/disputes); a disputed fact is marked while under review and is retracted if the dispute is upheld.',
      deadlineDays: DISPUTE_DAYS,
    },
  };
}
