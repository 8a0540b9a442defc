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
 * An entry (an inquiry) filed under an id was about the person that id named when it was made. Each
 * id is followed by one record of that person, its anchor: the first record it was linked to. A
 * merge keeps every anchor where it was (the absorbed id's record goes to the survivor, and an
 * absorbed id files nothing after it); a split that takes an id's anchor away gives the id, from
 * then on, the first record it keeps. An entry is the person's who holds its anchor now: so every
 * entry is one person's, and an entry made before a split goes with the record it was about, not
 * with whoever the id names since. An entry made while two people were merged into one was about
 * that one (under the id it was filed under): it goes with that id's anchor.
 *
 * `splitAt`: per id a split made (`to`), where the split stands among the entries (the seq of the
 * first entry filed under that id, which did not exist before); a split with none is taken as made
 * before every entry. `records`: every record the family's persons hold.
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
  const holder = new Map<number, string>();
  const seqOf = new Map<string, number>();
  const groups = new Map<string, Set<number>>();
  const group = (id: string): Set<number> => {
    let g = groups.get(id);
    if (g === undefined) {
      g = new Set();
      groups.set(id, g);
    }
    return g;
  };
  for (const r of records) {
    holder.set(r.seq, r.subject);
    seqOf.set(r.recordId, r.seq);
    group(r.origin).add(r.seq);
  }
  const first = (g: ReadonlySet<number>): number | undefined => {
    let min: number | undefined;
    for (const s of g) if (min === undefined || s < min) min = s;
    return min;
  };
  // Per id, its anchors in time: from entry seq `at` (exclusive) on, the record `seq`.
  const anchors = new Map<string, { at: number; seq: number | undefined }[]>();
  for (const id of family.ids) anchors.set(id, [{ at: Number.NEGATIVE_INFINITY, seq: first(group(id)) }]);
  let lastAt = Number.NEGATIVE_INFINITY;
  for (const d of family.steps) {
    if (d.kind === 'merge') {
      const into = group(d.survivor as string);
      for (const s of group(d.absorbed as string)) into.add(s);
      groups.set(d.absorbed as string, new Set());
      continue;
    }
    const from = d.from as string;
    const to = d.to as string;
    const moved = new Set((d.records ?? []).flatMap((id) => seqOf.get(id) ?? []));
    const left = group(from);
    const made = group(to);
    for (const s of moved) {
      left.delete(s);
      made.add(s);
    }
    anchors.set(to, [{ at: Number.NEGATIVE_INFINITY, seq: first(made) }]);
    // Splits are in the log's order; the entries' seqs must not run back between them.
    lastAt = Math.max(lastAt, splitAt.get(to) ?? lastAt);
    const list = anchors.get(from) ?? [];
    const now = list[list.length - 1]?.seq;
    if (now !== undefined && moved.has(now)) list.push({ at: lastAt, seq: first(left) });
    anchors.set(from, list);
  }
  const out: EntryRange[] = [];
  for (const id of family.ids) {
    const list = anchors.get(id) ?? [];
    for (let i = 0; i < list.length; i++) {
      const a = list[i] as { at: number; seq: number | undefined };
      const next = list[i + 1]?.at;
      // An id with no record to follow (none stored, as for a person filed by id alone) keeps its own.
      const theirs = a.seq === undefined ? id === person : holder.get(a.seq) === person;
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
