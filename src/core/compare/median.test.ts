import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { factKey, type ScoringFact } from '../facts/fact.js';
import { scorePerson } from '../scoring/index.js';
import { rulebook, T0 } from '../testing/builders.js';
import { ComparisonTally } from './comparison.js';

// `program compare` reports the median change. With an even number of people it gave the lower of
// the two middle values (a nearest rank): two people moving 0 and +10 had a median of 0, which
// reads as "half of them did not move up at all" when one did. The median is the conventional one:
// the middle value, or the midpoint of the two middle values. The 10th and 90th percentiles stay
// nearest ranks, values someone actually has, which "8 in 10 people between p10 and p90" needs.

const book = (k: number) =>
  rulebook(
    `events:
  e.probe: { category: commerce, fields: { n: number } }
rules:
  - { id: p, on: e.probe, points: "fact.n * ${k}.0", reason: { code: P, text: probe } }
`,
  );
const baseline = book(0);
const candidate = book(1);

/** One person per change: scored at base under the baseline, at base + change under the candidate. */
function changesOf(changes: readonly number[]) {
  const tally = new ComparisonTally(0);
  changes.forEach((n, i) => {
    const f: ScoringFact = {
      key: factKey('s', `f${i}`),
      id: `f${i}`,
      source: 's',
      type: 'e.probe',
      at: T0,
      data: { n },
    };
    tally.add(`P${i}`, scorePerson(baseline, [f], T0, []), scorePerson(candidate, [f], T0, []));
  });
  return tally.result().scores;
}

describe('program compare: the median change', () => {
  it('of two people moving 0 and +10 is +5', () => {
    expect(changesOf([0, 10])?.median).toBe(5);
    expect(changesOf([10, 0, 3])?.median).toBe(3);
  });

  it('is the middle value, or the midpoint of the two middle ones; p10 and p90 are values someone has', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -900, max: 900 }), { minLength: 1, maxLength: 40 }),
        (changes) => {
          const s = changesOf(changes);
          const sorted = [...changes].sort((a, b) => a - b);
          const n = sorted.length;
          const mid =
            n % 2 === 1
              ? sorted[(n - 1) / 2]
              : ((sorted[n / 2 - 1] as number) + (sorted[n / 2] as number)) / 2;
          expect(s?.median).toBe(mid);
          // At least half the people are at or below it, and at least half at or above it.
          expect(sorted.filter((c) => c <= (s?.median as number)).length * 2).toBeGreaterThanOrEqual(n);
          expect(sorted.filter((c) => c >= (s?.median as number)).length * 2).toBeGreaterThanOrEqual(n);
          expect(sorted).toContain(s?.p10);
          expect(sorted).toContain(s?.p90);
        },
      ),
    );
  });
});
