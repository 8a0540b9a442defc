import { COMPARISONS } from './comparisons.js';

/**
 * A Fellegi–Sunter match model: for every comparison level the probability `m` of seeing it
 * between two records of one person and `u` between two people; `lambda` the share of
 * blocked candidate pairs that match. Plain JSON, so it can be stored and reviewed.
 */
export interface MatchModel {
  lambda: number;
  comparisons: { field: string; levels: string[]; m: number[]; u: number[] }[];
  /** Counts of given names and surnames over distinct records, for term-frequency adjustment. */
  tf?: TermCounts;
  /** Probabilities: link at or above `link`, send to review at or above `review`. */
  thresholds: { link: number; review: number };
}

export interface TermCounts {
  total: number;
  given: Record<string, number>;
  surname: Record<string, number>;
}

// Hand-set starting values (what EM starts from, and what an untrained resolver uses).
const DEFAULT_M_U: Record<string, [number[], number[]]> = {
  given_name: [
    [0.85, 0.07, 0.03, 0.02, 0.03],
    [0.01, 0.005, 0.02, 0.01, 0.955],
  ],
  surname: [
    [0.88, 0.06, 0.03, 0.03],
    [0.005, 0.003, 0.02, 0.972],
  ],
  date_of_birth: [
    [0.92, 0.05, 0.01, 0.02],
    [0.0001, 0.001, 0.00001, 0.99889],
  ],
  sex: [
    [0.98, 0.02],
    [0.5, 0.5],
  ],
  national_id: [
    [1, 1, 0.9, 0.08, 1, 0.02],
    [1, 1, 1e-6, 1e-5, 1, 0.99999],
  ],
  passport: [
    [1, 0.5, 0.5],
    [1, 1e-5, 0.99999],
  ],
  phone: [
    [0.8, 0.2],
    [1e-4, 0.9999],
  ],
  email: [
    [0.85, 0.05, 0.1],
    [1e-5, 1e-4, 0.99989],
  ],
  address: [
    [0.75, 0.1, 0.05, 0.1],
    [1e-4, 1e-4, 1e-3, 0.9988],
  ],
  city: [
    [0.85, 0.05, 0.1],
    [0.01, 0.005, 0.985],
  ],
  postcode: [
    [0.85, 0.05, 0.1],
    [0.005, 0.01, 0.985],
  ],
  other_id: [
    [0.9, 0.05, 0.05],
    [1e-5, 1e-4, 0.99989],
  ],
  account: [
    [1, 1],
    [1, 1],
  ],
};

/**
 * The untrained model: sensible m and u values, no term frequencies. `estimateModel` learns
 * a better one from the data.
 */
export function defaultModel(): MatchModel {
  return {
    lambda: 1e-4,
    comparisons: COMPARISONS.map((c) => {
      const [m, u] = DEFAULT_M_U[c.field] as [number[], number[]];
      return { field: c.field, levels: [...c.levels], m: [...m], u: [...u] };
    }),
    thresholds: { link: 0.95, review: 0.5 },
  };
}

/** A model turned into weights (log2 Bayes factors) for fast scoring. */
export interface CompiledModel {
  readonly model: MatchModel;
  /** weights[c][level] */
  readonly weights: Float64Array[];
  /** log2 of the prior odds. */
  readonly priorWeight: number;
  /** Sum of field weights needed to link / to review. */
  readonly linkWeight: number;
  readonly reviewWeight: number;
  /** u of the exact level of given name and surname, the base of the term-frequency adjustment. */
  readonly uExactGiven: number;
  readonly uExactSurname: number;
}

const log2 = Math.log2;
const logit2 = (p: number) => log2(p / (1 - p));

/** Weights of every level with the policy's fixed values and caps applied. */
export function compileModel(model: MatchModel): CompiledModel {
  if (model.comparisons.length !== COMPARISONS.length) {
    throw new Error(
      `match model has ${model.comparisons.length} comparisons, expected ${COMPARISONS.length}`,
    );
  }
  const weights = COMPARISONS.map((spec, c) => {
    const mc = model.comparisons[c] as MatchModel['comparisons'][number];
    const w = new Float64Array(spec.levels.length);
    spec.levels.forEach((level, l) => {
      const fixed = spec.fixed?.[level];
      let v = fixed ?? log2(Math.max(mc.m[l] ?? 1e-9, 1e-9) / Math.max(mc.u[l] ?? 1e-9, 1e-9));
      const cap = spec.cap?.[level];
      if (cap !== undefined && v > cap) v = cap;
      w[l] = v;
    });
    return w;
  });
  const priorWeight = logit2(model.lambda);
  return {
    model,
    weights,
    priorWeight,
    linkWeight: logit2(model.thresholds.link) - priorWeight,
    reviewWeight: logit2(model.thresholds.review) - priorWeight,
    uExactGiven: model.comparisons[0]?.u[0] ?? 0.01,
    uExactSurname: model.comparisons[1]?.u[0] ?? 0.01,
  };
}

/** Probability of a match from the summed field weights. */
export function weightToProbability(cm: CompiledModel, fieldWeight: number): number {
  return 1 / (1 + 2 ** -(fieldWeight + cm.priorWeight));
}

// Pseudo-count: with few records seen the frequency leans on u, so early records are not over-adjusted.
const TF_PRIOR = 1000;
const TF_LIMIT = 8;

/**
 * Term-frequency adjustment of an exact name match, as Splink does: the weight uses the
 * value's own frequency in place of the average u, so a common name like Wang Wei counts
 * for less and a rare one for more.
 */
export function tfAdjustment(count: number, total: number, uExact: number): number {
  const tf = (count + TF_PRIOR * uExact) / (total + TF_PRIOR);
  const adj = log2(uExact / tf);
  return adj > TF_LIMIT ? TF_LIMIT : Math.max(adj, -TF_LIMIT);
}
