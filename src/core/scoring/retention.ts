import type { ScoringFact } from '../facts/fact.js';
import type { CompiledRulebook } from '../rulebook/types.js';

/**
 * Whether a fact is past its event type's `retain` period at `asOf`: `credence purge --as-of`
 * would delete it (it occurred before `asOf − retain`). Such a fact is scored as if it were
 * already gone (DESIGN.md: deleted, not just ignored; until purge runs it must not count).
 */
export function pastRetention(rb: CompiledRulebook, f: ScoringFact, asOf: number): boolean {
  const ms = rb.events[f.type]?.retainMs;
  return ms !== undefined && f.at < asOf - ms;
}

/**
 * The first instant at which any of these facts is past retention (`+Infinity` if none ever is):
 * for as-ofs up to it nothing is, and scoring needs no filtering.
 */
export function firstDeletion(rb: CompiledRulebook, facts: readonly ScoringFact[]): number {
  let first = Number.POSITIVE_INFINITY;
  for (const f of facts) {
    const ms = rb.events[f.type]?.retainMs;
    // Past retention once asOf − ms > at, i.e. from the first representable instant after at + ms.
    if (ms !== undefined && f.at + ms < first) first = f.at + ms;
  }
  return first;
}
