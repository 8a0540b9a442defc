import type { CompiledRulebook } from './types.js';

/**
 * The rulebook version in force at `asOf`: the highest version whose `effectiveFrom` is at or
 * before it (so replaying a past as-of uses the rules of that time), else the earliest version.
 *
 * @example
 * rulebookAt([v1, v2], Date.parse('2026-01-01')) // v1 when v2 starts later
 */
export function rulebookAt<T extends Pick<CompiledRulebook, 'version' | 'effectiveFrom'>>(
  versions: readonly T[],
  asOf: number,
): T | undefined {
  let best: T | undefined;
  for (const v of versions) {
    if (v.effectiveFrom <= asOf && (!best || v.version > best.version)) best = v;
  }
  if (best) return best;
  let first: T | undefined;
  for (const v of versions) if (!first || v.version < first.version) first = v;
  return first;
}
