/**
 * The most points one rule may give or take on one fact, and the bound of a scale's numbers.
 * Bounded so that no sum of a person's points can overflow to Infinity (and, with a deduction, to
 * NaN): a score is read against tiers, and NaN is below and above every one of them.
 */
export const MAX_POINTS = 1_000_000_000;
