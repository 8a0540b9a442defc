import type { Tier } from '../rulebook/types.js';

/** The first tier (highest first) whose `min` the score reaches. */
export function tierOf(tiers: readonly Tier[], score: number): string {
  for (const t of tiers) if (score >= t.min) return t.id;
  // The compiler guarantees the lowest tier starts at or below the scale's minimum.
  return (tiers.at(-1) as Tier).id;
}
