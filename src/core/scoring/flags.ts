import type { ScoringFact } from '../facts/fact.js';
import type { CompiledFlag } from '../rulebook/types.js';

/**
 * Flags held at `asOf`: a flag holds from a listing fact until its removal fact. With `key`,
 * a removal clears only the listing with the same key (court and case), so one paid judgment
 * does not lift another's listing; without it the latest listing or removal wins.
 */
export function flagsAt(
  flags: readonly CompiledFlag[],
  sorted: readonly ScoringFact[],
  include: (f: ScoringFact) => boolean,
): string[] {
  if (flags.length === 0) return [];
  const held: string[] = [];
  for (const flag of flags) {
    const open = new Set<string>();
    for (const f of sorted) {
      if (f.type !== flag.set && f.type !== flag.clear) continue;
      if (!include(f)) continue;
      const key = flag.key ? flag.key.map((k) => String(f.data[k])).join('\u0000') : '';
      if (f.type === flag.set) open.add(key);
      else open.delete(key);
    }
    if (open.size > 0) held.push(flag.id);
  }
  return held;
}
