import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ScreenIndex } from './screen-index.js';
import type { ListedPerson, ScreenQuery } from './types.js';

// An index kept up to date by `put` (a listing added, changed or removed after searches began,
// its names filed in the secondary table) must answer as an index built afresh from the people
// listed now: same candidates, same scores, the same stage (exact namesakes or fuzzy).

const NAMES = [
  'Wang Wei',
  '王伟',
  'Wang Jianhua',
  'Wang Jian Hua',
  'Li Na',
  '李娜',
  'Zhang Xiaoming',
  'Emma Daniels',
  'Emma Danniels',
  'George Habbash',
  'Maria Garcia Lopez',
  'Maria Lopez',
  'Jean-Pierre Martin',
  'Ahmed Al Rashid',
] as const;
const QUERIES: ScreenQuery[] = [
  ...NAMES.map((name) => ({ name })),
  { name: 'Wei Wang', dob: '1990-03-07' },
  { name: 'Wnag Wei' },
  { name: 'Emma Daniel' },
  { name: 'Maria Garcia' },
  { name: 'Jianhua Wang', dob: '1971' },
  { name: 'George Bush' },
];

const person = fc.record({
  subject: fc.integer({ min: 1, max: 12 }),
  names: fc.uniqueArray(fc.constantFrom(...NAMES), { minLength: 1, maxLength: 2 }),
  dob: fc.constantFrom(undefined, '1990-03-07', '1971-11-30', '1985'),
});
/** A person listed (or changed), or taken off the list. */
const op = fc.oneof(
  person.map((p) => ({ ...p, remove: false })),
  fc.integer({ min: 1, max: 12 }).map((subject) => ({ subject, remove: true })),
);

const sid = (n: number): string => `P${String(n).padStart(3, '0')}`;
const listedAs = (p: {
  subject: number;
  names: readonly string[];
  dob: string | undefined;
}): ListedPerson => ({
  subjectId: sid(p.subject),
  names: p.names,
  flags: ['dishonest-debtor'],
  ...(p.dob ? { dob: p.dob } : {}),
});

function answers(ix: ScreenIndex): string[][] {
  return QUERIES.map((q) =>
    ix
      .search(q, { limit: 100 })
      .candidates.map((c) => `${c.subjectId} ${c.score} ${c.listedName}`)
      .sort(),
  );
}

describe('ScreenIndex.put', () => {
  it('answers as an index built afresh from the people listed now', () => {
    fc.assert(
      fc.property(fc.array(person, { maxLength: 8 }), fc.array(op, { maxLength: 12 }), (first, ops) => {
        const now = new Map<string, ListedPerson>();
        for (const p of first) now.set(sid(p.subject), listedAs(p));
        const ix = new ScreenIndex([...now.values()]);
        answers(ix); // searched: what `put` adds from here on goes to the secondary table
        for (const o of ops) {
          const id = sid(o.subject);
          if ('names' in o) {
            const p = listedAs(o);
            now.set(id, p);
            ix.put(id, p);
          } else {
            now.delete(id);
            ix.put(id, undefined);
          }
          if (o.subject % 3 === 0) answers(ix);
        }
        const fresh = new ScreenIndex(
          [...now.values()].sort((a, b) => a.subjectId.localeCompare(b.subjectId)),
        );
        expect(ix.size).toBe(now.size);
        expect(answers(ix)).toEqual(answers(fresh));
        expect(answers(ix.compacted())).toEqual(answers(fresh));
        expect(ix.compacted().churn).toBe(0);
      }),
      { numRuns: 200 },
    );
  });

  it('a person taken off is not a namesake: the query looks for typos instead', () => {
    const ix = new ScreenIndex([
      { subjectId: 'P1', names: ['Emma Daniels'], flags: ['x'] },
      { subjectId: 'P2', names: ['Emma Danniels'], flags: ['x'] },
    ]);
    expect(ix.search({ name: 'Emma Daniels' }).candidates.map((c) => c.subjectId)).toEqual(['P1']);
    ix.put('P1', undefined);
    expect(ix.has('P1')).toBe(false);
    expect(ix.search({ name: 'Emma Daniels' }).candidates.map((c) => c.subjectId)).toEqual(['P2']);
  });
});
