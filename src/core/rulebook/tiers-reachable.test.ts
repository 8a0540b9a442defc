import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CredenceError } from '../errors/index.js';
import { tierOf } from '../scoring/tiers.js';
import { compileRulebook } from './compile.js';

// Every tier a rulebook declares must be one some score on the scale lands in: a tier above the
// scale's max, or below one that already starts at the min, was loaded, and a privilege or
// restriction reading it (`tier == 'AAA'`) could never hold, which no one reading the rulebook
// would guess.

const book = (scale: string, tiers: string) => `program: x
name: X
enrollment: opt-out
scale: ${scale}
tiers: ${tiers}
events:
  pay.done: { category: payment, fields: { amount: number } }
rules:
  - { id: r0, on: pay.done, points: 1, reason: { code: A0, text: a } }
`;

function problems(text: string): string[] {
  try {
    compileRulebook(text, { file: 'p.yaml' });
    return [];
  } catch (e) {
    if (e instanceof CredenceError) return e.details.map((d) => `${d.path}: ${d.reason}`);
    throw e;
  }
}

describe('tiers no score reaches', () => {
  it('refuses a tier above the max and one below a tier that starts at the min', () => {
    expect(
      problems(
        book(
          '{ min: 0, max: 2000, base: 1000 }',
          '[{ id: AAA, min: 2500 }, { id: A, min: 1000 }, { id: D, min: 0 }]',
        ),
      ),
    ).toEqual(['tiers[0].min: tier "AAA" starts at 2500, above the scale\'s max 2000: no score reaches it']);
    expect(
      problems(
        book(
          '{ min: 0, max: 100, base: 50 }',
          '[{ id: A, min: 50 }, { id: B, min: 0 }, { id: C, min: -10 }]',
        ),
      ),
    ).toEqual([
      'tiers[2].min: tier "C" is never reached: "B" starts at 0, at or below the scale\'s min 0, and takes every score',
    ]);
  });

  it('every tier of a rulebook that loads is the tier of some score on its scale', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -50, max: 50 }),
        fc.integer({ min: 0, max: 100 }),
        fc.uniqueArray(fc.integer({ min: -80, max: 180 }), { minLength: 1, maxLength: 5 }),
        (min, width, mins) => {
          const max = min + width;
          const sorted = [...mins].sort((a, b) => b - a);
          const tiers = `[${sorted.map((m, i) => `{ id: T${i}, min: ${m} }`).join(', ')}]`;
          let rb: ReturnType<typeof compileRulebook>;
          try {
            rb = compileRulebook(book(`{ min: ${min}, max: ${max}, base: ${min} }`, tiers), {
              file: 'p.yaml',
            });
          } catch {
            return;
          }
          const reached = new Set<string>();
          for (let s = min; s <= max; s++) reached.add(tierOf(rb.tiers, s));
          expect([...reached].sort()).toEqual(rb.tiers.map((t) => t.id).sort());
        },
      ),
    );
  });
});
