import type { MergeStep } from './merge-chain.js';

/** An identity record as the owners of entries need it: its arrival, its person now and at first. */
export interface RecordOrigin {
  /** Arrival order (`identity_records.seq`). */
  readonly seq: number;
  readonly recordId: string;
  /** The person it links to now. */
  readonly subject: string;
  /** The person it was linked to on arrival (its link's `subjectId`, never rewritten by a merge). */
  readonly origin: string;
}

/**
 * Entries filed under `subject` (an audit log's), those after `after` and before `before` (seqs,
 * both exclusive, each absent when open): a part of one id's entries that is one person's.
 */
export interface EntryRange {
  readonly subject: string;
  readonly after?: number;
  readonly before?: number;
}

/**
 * The ids joined to `person` by merges and splits (theirs first), and the ids those splits made:
 * whatever was filed under one of them may be about `person` now, and under no other id.
 */
export function idFamily(
  person: string,
  decisions: readonly MergeStep[],
): { ids: string[]; splitTo: string[]; steps: MergeStep[] } {
  const edges = new Map<string, string[]>();
  const link = (x: string, y: string) => {
    for (const [a, b] of [
      [x, y],
      [y, x],
    ] as const) {
      const list = edges.get(a) ?? [];
      list.push(b);
      edges.set(a, list);
    }
  };
  for (const d of decisions) {
    if (d.kind === 'merge' && typeof d.absorbed === 'string' && typeof d.survivor === 'string')
      link(d.absorbed, d.survivor);
    else if (d.kind === 'split' && typeof d.from === 'string' && typeof d.to === 'string') link(d.from, d.to);
  }
  const seen = new Set([person]);
  const queue = [person];
  for (let i = 0; i < queue.length; i++) {
    for (const next of edges.get(queue[i] as string) ?? []) {
      if (seen.has(next)) continue;
      seen.add(next);
      queue.push(next);
    }
  }
  const steps = decisions.filter(
    (d) =>
      (d.kind === 'merge' && seen.has(d.absorbed as string)) ||
      (d.kind === 'split' && seen.has(d.from as string)),
  );
  const splitTo = steps.flatMap((d) => (d.kind === 'split' && typeof d.to === 'string' ? [d.to] : []));
  return { ids: queue, splitTo, steps };
}

/**
 * Which entries filed under the ids of `person`'s family (`idFamily`) are about `person` now.
 *
 * An entry (an inquiry) filed under an id was about the person that id named when it was made.
 * An id keeps its entries while it holds any record of its own (first linked to it, or given to it
 * by the split that made it): an operator's split moves the records named to someone else and the
 * person goes on under the id. A split that takes every record of its own (one undoing a merge,
 * where the older id survived with the other person's records) sends the entries made before it
 * with those records. An absorbed id's entries are from before its merge and go with its own
 * records the same way. An id left with none of its own is followed by the records it held. An
 * entry made while two people were merged into one was about that one, under the id it was
 * filed under: it goes with that id's own records. So every entry is one person's, who holds
 * records it was about.
 *
 * `splitAt`: per id a split made (`to`), where the split stands among the entries (the seq of the
 * first entry filed under that id, which did not exist before); a split with none is taken as made
 * before every entry. `records`: every record the family's persons hold. The log does not place a
 * record's arrival among the entries: a record linked to an id after an entry counts among that
 * id's own for it.
 *
 * @example
 * // P2 merged into P1, then P2's record split off to P3 (its first entry seq 40): P2's are P3's.
 * entryRanges('P3', idFamily('P3', log), records, new Map([['P3', 40]])) // [{ subject: 'P3' }, { subject: 'P2' }]
 */
export function entryRanges(
  person: string,
  family: { readonly ids: readonly string[]; readonly steps: readonly MergeStep[] },
  records: readonly RecordOrigin[],
  splitAt: ReadonlyMap<string, number>,
): EntryRange[] {
  const { stretches, ownerOf } = followed(family, records, splitAt);
  const out: EntryRange[] = [];
  for (const id of family.ids) {
    const list = stretches.get(id) ?? [];
    for (let i = 0; i < list.length; i++) {
      const a = list[i] as Stretch;
      const next = list[i + 1]?.at;
      const owner = ownerOf(id, a);
      // An id with nothing to follow (no record stored, as for a person filed by id alone) keeps its own.
      const theirs = owner === undefined ? id === person : owner === person;
      if (!theirs || (next !== undefined && next <= a.at)) continue;
      const prev = out[out.length - 1];
      // Two stretches of one id that meet are one range.
      if (prev !== undefined && prev.subject === id && prev.before === a.at) {
        out[out.length - 1] = {
          subject: id,
          ...(prev.after !== undefined ? { after: prev.after } : {}),
          ...(next !== undefined ? { before: next } : {}),
        };
        continue;
      }
      out.push({
        subject: id,
        ...(Number.isFinite(a.at) ? { after: a.at } : {}),
        ...(next !== undefined ? { before: next } : {}),
      });
    }
  }
  return out;
}

/**
 * The person an entry filed under `subject` (seq `seq`) is about now, as `entryRanges` gives it
 * out; undefined when nothing of that id's can be followed (no record stored).
 */
export function entryOwner(
  subject: string,
  seq: number,
  family: { readonly ids: readonly string[]; readonly steps: readonly MergeStep[] },
  records: readonly RecordOrigin[],
  splitAt: ReadonlyMap<string, number>,
): string | undefined {
  const { stretches, ownerOf } = followed(family, records, splitAt);
  const stretch = (stretches.get(subject) ?? []).filter((s) => s.at < seq).pop();
  return stretch === undefined ? undefined : ownerOf(subject, stretch);
}

interface Stretch {
  readonly at: number;
  readonly next: number;
  readonly records: Set<number>;
}

/**
 * Per id of the family, its stretches between the splits of it: entries after `at` (until the
 * next stretch's) are about `records`, whose fate the steps from `next` on decide (`ownerOf`).
 */
function followed(
  family: { readonly ids: readonly string[]; readonly steps: readonly MergeStep[] },
  records: readonly RecordOrigin[],
  splitAt: ReadonlyMap<string, number>,
): { stretches: Map<string, Stretch[]>; ownerOf: (id: string, stretch: Stretch) => string | undefined } {
  const seqOf = new Map<string, number>();
  const groups = new Map<string, Set<number>>();
  const own = new Map<string, Set<number>>();
  const setOf = (m: Map<string, Set<number>>, id: string): Set<number> => {
    let g = m.get(id);
    if (g === undefined) {
      g = new Set();
      m.set(id, g);
    }
    return g;
  };
  for (const r of records) {
    seqOf.set(r.recordId, r.seq);
    setOf(groups, r.origin).add(r.seq);
    setOf(own, r.origin).add(r.seq);
  }
  /** What an id's entries from now on are about: its own records it holds, else all it holds. */
  const about = (id: string): Set<number> => {
    const held = setOf(groups, id);
    const mine = setOf(own, id);
    const kept = new Set([...held].filter((s) => mine.has(s)));
    return kept.size > 0 ? kept : new Set(held);
  };
  const stretches = new Map<string, Stretch[]>();
  for (const id of family.ids)
    stretches.set(id, [{ at: Number.NEGATIVE_INFINITY, next: 0, records: about(id) }]);
  const moves = family.steps.map((d) =>
    d.kind === 'split' ? new Set((d.records ?? []).flatMap((id) => seqOf.get(id) ?? [])) : undefined,
  );
  let lastAt = Number.NEGATIVE_INFINITY;
  family.steps.forEach((d, k) => {
    if (d.kind === 'merge') {
      const into = setOf(groups, d.survivor as string);
      for (const s of setOf(groups, d.absorbed as string)) into.add(s);
      groups.set(d.absorbed as string, new Set());
      return;
    }
    const from = d.from as string;
    const to = d.to as string;
    const moved = moves[k] as Set<number>;
    const left = setOf(groups, from);
    const made = setOf(groups, to);
    const given = setOf(own, to);
    for (const s of moved) {
      left.delete(s);
      made.add(s);
      given.add(s);
    }
    // Splits are in the log's order; the entries' seqs must not run back between them.
    lastAt = Math.max(lastAt, splitAt.get(to) ?? lastAt);
    stretches.set(to, [{ at: Number.NEGATIVE_INFINITY, next: k + 1, records: about(to) }]);
    stretches.get(from)?.push({ at: lastAt, next: k + 1, records: about(from) });
  });
  /** Who an id's stretch is about now: its records followed through the steps after it. */
  const ownerOf = (id: string, stretch: Stretch): string | undefined => {
    if (stretch.records.size === 0) return undefined;
    let current = id;
    let held = stretch.records;
    for (let k = stretch.next; k < family.steps.length; k++) {
      const d = family.steps[k] as MergeStep;
      if (d.kind === 'merge') {
        if (d.absorbed === current) current = d.survivor as string;
        continue;
      }
      if (d.from !== current) continue;
      const moved = moves[k] as Set<number>;
      const rest = new Set([...held].filter((s) => !moved.has(s)));
      if (rest.size > 0) held = rest;
      else current = d.to as string;
    }
    return current;
  };
  return { stretches, ownerOf };
}
