import type { CompiledRulebook } from './types.js';

/**
 * The rulebook version in force at `asOf`: the highest version whose `effectiveFrom` is at or
 * before it (so replaying a past as-of uses the rules of that time). Before every version's
 * `effectiveFrom`, the version that comes into force first: the one in force at the earliest
 * `effectiveFrom`. Not the lowest version number: a version loaded for June and overtaken by a
 * later-loaded one for March is in force at no as-of after March, and so at none before it either
 * (it scored January while `credence program list` called it "never in force").
 *
 * @example
 * rulebookAt([v1, v2], Date.parse('2026-01-01')) // v1 when v2 starts later
 */
export function rulebookAt<T extends Pick<CompiledRulebook, 'version' | 'effectiveFrom'>>(
  versions: readonly T[],
  asOf: number,
): T | undefined {
  let earliest = Number.POSITIVE_INFINITY;
  for (const v of versions) if (v.effectiveFrom < earliest) earliest = v.effectiveFrom;
  const at = Math.max(asOf, earliest);
  let best: T | undefined;
  for (const v of versions) {
    if (v.effectiveFrom <= at && (!best || v.version > best.version)) best = v;
  }
  return best;
}
