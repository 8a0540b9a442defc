/** How the points of an explanation make its score, as a person reads it beside them. */
export interface ScoreTotal {
  /** The points listed, added up (two decimals). */
  readonly points: number;
  /** base + points. */
  readonly sum: number;
  readonly score: number;
  readonly what: string;
}

const cents = (x: number): number => Math.round(x * 100) / 100;

/**
 * How the points listed make the score, in words: the base and their sum, rounded, held within the
 * program's scale. A score held at the scale's lowest is not its points' sum (550 and -209 make
 * 341, the score is 350), and without this a person could not tell why. The same words over the
 * API (GET /v1/me/explanations, `total`) and in `credence explain`.
 *
 * @example
 * scoreTotal({ min: 350, max: 950, base: 550 }, -209, 350).what
 * // 'The base 550 and your points (-209) add up to 341, below the lowest score this program gives (350): your score is 350.'
 */
export function scoreTotal(
  scale: { readonly min: number; readonly max: number; readonly base: number },
  points: number,
  score: number,
): ScoreTotal {
  const p = cents(points);
  const sum = cents(scale.base + points);
  const made = `The base ${scale.base} and your points (${p < 0 ? p : `+${p}`}) add up to ${sum}`;
  const what =
    sum < scale.min
      ? `${made}, below the lowest score this program gives (${scale.min}): your score is ${score}.`
      : sum > scale.max
        ? `${made}, above the highest score this program gives (${scale.max}): your score is ${score}.`
        : sum !== score
          ? `${made}, rounded to your score, ${score}.`
          : `${made}: your score, ${score}.`;
  return { points: p, sum, score, what };
}
