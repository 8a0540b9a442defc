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
 * For each fact with a retention period, the instant after which it is past it (`at + retain`),
 * ascending: at as-of, the facts past retention are those whose instant is before as-of.
 */
export function deletionInstants(rb: CompiledRulebook, facts: readonly ScoringFact[]): Float64Array {
  const out: number[] = [];
  for (const f of facts) {
    const ms = rb.events[f.type]?.retainMs;
    if (ms !== undefined) out.push(f.at + ms);
  }
  return Float64Array.from(out).sort();
}
