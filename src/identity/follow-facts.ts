import type { MergeResult, SplitResult } from './resolver-types.js';
import type { Resolution } from './types.js';

/**
 * Groups facts by the person their record belongs to now. Facts follow their person: after a
 * merge or a split, group again and rescore the persons `affectedSubjects` names.
 *
 * @example
 * const byPerson = groupFactsBySubject(resolver, facts.map((f) => ({ recordId: f.key, fact: f })));
 */
export function groupFactsBySubject<F>(
  resolver: { subjectOf(recordId: string): string | undefined },
  facts: readonly { recordId: string; fact: F }[],
): Map<string, F[]> {
  const out = new Map<string, F[]>();
  for (const { recordId, fact } of facts) {
    const s = resolver.subjectOf(recordId);
    if (s === undefined) continue;
    const list = out.get(s);
    if (list) list.push(fact);
    else out.set(s, [fact]);
  }
  return out;
}

/** The persons whose facts changed with a merge, split or resolution: rescore these. */
export function affectedSubjects(r: MergeResult | SplitResult | Resolution): string[] {
  if ('from' in r) return [r.from, r.subjectId];
  if ('absorbed' in r) return [r.subjectId, ...r.absorbed];
  return [r.subjectId, ...(r.merged ?? [])];
}
