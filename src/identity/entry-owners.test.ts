import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type EntryRange, entryOwner, entryRanges, idFamily, type RecordOrigin } from './entry-owners.js';
import type { MergeStep } from './merge-chain.js';

/**
 * A history of people as the engine and the audit log record it: records arrive (a new person, or
 * linked to one), persons merge (the older id survives), an operator splits records off (a new id,
 * whose first audit entry is the split's), and inquiries are filed under a person's id. Each
 * inquiry keeps the records its person held when it was made: what it was about.
 */
interface World {
  readonly decisions: MergeStep[];
  readonly records: Map<number, { recordId: string; origin: string; subject: string }>;
  /** Each inquiry: the records its person held, and how many records had arrived, when it was made. */
  readonly entries: { seq: number; subject: string; about: Set<number>; arrived: number }[];
  readonly firstEntry: Map<string, number>;
  /** Records a split ever moved. */
  readonly splitOff: Set<number>;
}

type Op =
  | { op: 'record'; join: number | null }
  | { op: 'merge'; a: number; b: number }
  | { op: 'split'; person: number; pick: number[] }
  | { op: 'ask'; person: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.option(fc.nat(20), { nil: null }).map((join) => ({ op: 'record' as const, join })),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('merge' as const), a: fc.nat(20), b: fc.nat(20) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('split' as const),
      person: fc.nat(20),
      pick: fc.array(fc.nat(20), { minLength: 1, maxLength: 3 }),
    }),
  },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('ask' as const), person: fc.nat(20) }) },
);

const pid = (n: number) => `P${String(n).padStart(4, '0')}`;

function play(ops: readonly Op[]): World {
  const w: World = {
    decisions: [],
    records: new Map(),
    entries: [],
    firstEntry: new Map(),
    splitOff: new Set(),
  };
  let people = 0;
  let recordSeq = 0;
  let auditSeq = 0;
  const apart: [string, string][] = [];
  const holding = () => {
    const by = new Map<string, number[]>();
    for (const [seq, r] of w.records) by.set(r.subject, [...(by.get(r.subject) ?? []), seq]);
    return [...by.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  };
  for (const o of ops) {
    const persons = holding();
    const nth = (n: number) => persons[n % persons.length] as [string, number[]];
    if (o.op === 'record' || persons.length === 0) {
      const subject =
        o.op === 'record' && o.join !== null && persons.length > 0 ? nth(o.join)[0] : pid(++people);
      recordSeq++;
      w.records.set(recordSeq, { recordId: `R${recordSeq}`, origin: subject, subject });
    } else if (o.op === 'merge') {
      const [a, b] = [nth(o.a)[0], nth(o.b)[0]];
      if (a === b) continue;
      const [survivor, absorbed] = a < b ? [a, b] : [b, a];
      // A split keeps the two apart from then on, through later merges (the engine refuses them).
      if (apart.some(([x, y]) => (x === a && y === b) || (x === b && y === a))) continue;
      for (const pair of apart) for (const i of [0, 1]) if (pair[i] === absorbed) pair[i] = survivor;
      for (const r of w.records.values()) if (r.subject === absorbed) r.subject = survivor;
      w.decisions.push({ kind: 'merge', absorbed, survivor });
    } else if (o.op === 'split') {
      const [from, held] = nth(o.person);
      const moved = [...new Set(o.pick.map((k) => held[k % held.length] as number))];
      if (moved.length === held.length) continue;
      const to = pid(++people);
      for (const s of moved) (w.records.get(s) as { subject: string }).subject = to;
      for (const s of moved) w.splitOff.add(s);
      w.decisions.push({ kind: 'split', from, to, records: moved.map((s) => `R${s}`) });
      apart.push([from, to]);
      // The split's own audit entry is the first filed under the new id.
      w.firstEntry.set(to, ++auditSeq);
    } else {
      const [subject, held] = nth(o.person);
      w.entries.push({ seq: ++auditSeq, subject, about: new Set(held), arrived: recordSeq });
    }
  }
  return w;
}

function rangesOf(w: World, person: string): EntryRange[] {
  const family = idFamily(person, w.decisions);
  const records: RecordOrigin[] = [...w.records]
    .filter(([, r]) => family.ids.includes(r.subject))
    .map(([seq, r]) => ({ seq, ...r }));
  return entryRanges(person, family, records, w.firstEntry);
}

const within = (r: EntryRange, e: { seq: number; subject: string }) =>
  r.subject === e.subject &&
  (r.after === undefined || e.seq > r.after) &&
  (r.before === undefined || e.seq < r.before);

describe('entryRanges: whose inquiries, across merges and splits', () => {
  it('gives every inquiry to exactly one person, who holds records it was about', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 40 }), (ops) => {
        const w = play(ops);
        const persons = [...new Set([...w.records.values()].map((r) => r.subject))];
        const ranges = new Map(persons.map((p) => [p, rangesOf(w, p)]));
        for (const e of w.entries) {
          const owners = persons.filter((p) => (ranges.get(p) ?? []).some((r) => within(r, e)));
          const seen = JSON.stringify({ e: { ...e, about: [...e.about] }, owners });
          expect(owners.length, seen).toBe(1);
          const owner = owners[0];
          // One entry's owner alone (a person token's issue) is the same.
          const family = idFamily(e.subject, w.decisions);
          const records: RecordOrigin[] = [...w.records]
            .filter(([, r]) => family.ids.includes(r.subject))
            .map(([seq, r]) => ({ seq, ...r }));
          expect(entryOwner(e.subject, e.seq, family, records, w.firstEntry), seen).toBe(owner);
          // What it was about: its person's records then, and those linked to its id after it (the
          // log does not place a record's arrival among the inquiries: they count as its id's own).
          const about = new Set(e.about);
          for (const [seq, r] of w.records) if (seq > e.arrived && r.origin === e.subject) about.add(seq);
          const holders = new Set([...about].map((s) => w.records.get(s)?.subject));
          expect(holders.has(owner), seen).toBe(true);
          if (holders.size === 1) expect(owner, seen).toBe([...holders][0]);
          // The id keeps it while it holds a record of its own it held then (and never lost since).
          const kept = [...e.about].some((s) => {
            const r = w.records.get(s);
            return r?.origin === e.subject && r.subject === e.subject && !w.splitOff.has(s);
          });
          if (kept) expect(owner, seen).toBe(e.subject);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('a family no split touched: every id of it, whole (the reads mergedIds made)', () => {
    const decisions: MergeStep[] = [
      { kind: 'merge', absorbed: 'P2', survivor: 'P1' },
      { kind: 'merge', absorbed: 'P3', survivor: 'P1' },
      { kind: 'merge', absorbed: 'P5', survivor: 'P4' },
    ];
    expect(idFamily('P1', decisions)).toMatchObject({ ids: ['P1', 'P2', 'P3'], splitTo: [] });
  });

  it('an id merged away and split off again: its inquiries are the split-off person’s', () => {
    const decisions: MergeStep[] = [
      { kind: 'merge', absorbed: 'P2', survivor: 'P1' },
      { kind: 'split', from: 'P1', to: 'P3', records: ['R2'] },
    ];
    const records: RecordOrigin[] = [
      { seq: 1, recordId: 'R1', subject: 'P1', origin: 'P1' },
      { seq: 2, recordId: 'R2', subject: 'P3', origin: 'P2' },
    ];
    const splitAt = new Map([['P3', 10]]);
    expect(entryRanges('P3', idFamily('P3', decisions), records, splitAt)).toEqual([
      { subject: 'P3' },
      { subject: 'P2' },
    ]);
    expect(entryRanges('P1', idFamily('P1', decisions), records, splitAt)).toEqual([{ subject: 'P1' }]);
  });

  it('a split stands where its new id was first filed: the surviving id keeps only what came after', () => {
    // P1's own record R1 split off to P3 at entry 20: P1's entries before it are about R1 (P3's).
    const decisions: MergeStep[] = [
      { kind: 'merge', absorbed: 'P2', survivor: 'P1' },
      { kind: 'split', from: 'P1', to: 'P3', records: ['R1'] },
    ];
    const records: RecordOrigin[] = [
      { seq: 1, recordId: 'R1', subject: 'P3', origin: 'P1' },
      { seq: 2, recordId: 'R2', subject: 'P1', origin: 'P2' },
    ];
    const splitAt = new Map([['P3', 20]]);
    expect(entryRanges('P1', idFamily('P1', decisions), records, splitAt)).toEqual([
      { subject: 'P1', after: 20 },
      { subject: 'P2' },
    ]);
    expect(entryRanges('P3', idFamily('P3', decisions), records, splitAt)).toEqual([
      { subject: 'P3' },
      { subject: 'P1', before: 20 },
    ]);
    // Without the split's entry it is taken as made first: the id keeps its own, as before.
    expect(entryRanges('P1', idFamily('P1', decisions), records, new Map())).toEqual([
      { subject: 'P1' },
      { subject: 'P2' },
    ]);
  });

  it('an id with no stored record keeps its own entries', () => {
    const decisions: MergeStep[] = [{ kind: 'split', from: 'P1', to: 'P2', records: ['R1'] }];
    const records: RecordOrigin[] = [{ seq: 1, recordId: 'R1', subject: 'P2', origin: 'P1' }];
    expect(entryRanges('P9', idFamily('P9', decisions), records, new Map())).toEqual([{ subject: 'P9' }]);
  });

  it('a record split off a person (an upheld link dispute): the id keeps its inquiries, though that record was its first', () => {
    // P1 was made by R1 and later linked R2; R1 is split off to P2 at entry 30. P1 is still the
    // person: what was asked about P1 stays P1's, not the stranger's the record now is.
    const decisions: MergeStep[] = [{ kind: 'split', from: 'P1', to: 'P2', records: ['R1'] }];
    const records: RecordOrigin[] = [
      { seq: 1, recordId: 'R1', subject: 'P2', origin: 'P1' },
      { seq: 2, recordId: 'R2', subject: 'P1', origin: 'P1' },
    ];
    const splitAt = new Map([['P2', 30]]);
    expect(entryRanges('P1', idFamily('P1', decisions), records, splitAt)).toEqual([{ subject: 'P1' }]);
    expect(entryRanges('P2', idFamily('P2', decisions), records, splitAt)).toEqual([{ subject: 'P2' }]);
  });
});
