import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { factKey, type ScoringFact } from '../facts/fact.js';
import { DAY, rulebook, T0 } from '../testing/builders.js';
import { explainPerson, scorePerson } from './index.js';

// DESIGN.md: re-sending the same (source, id) is a no-op. The score is a pure function of the
// facts; a fact handed to it twice is still one fact, for the one-shot score as for the
// explanation (which goes through PersonState and always kept one).

const rb = rulebook(`events:
  pay.done: { category: payment, fields: { amount: number } }
  court.judgment: { category: legal, fields: { amount: number } }
rules:
  - { id: pay, on: pay.done, points: "fact.amount >= 100.0 ? 4 : 1", cap: { max: 10, per: P30D }, dimension: d2, reason: { code: F10, text: Payments } }
  - { id: judgment, on: court.judgment, points: -25, dimension: d1, decay: { expires: P1Y }, reason: { code: C01, text: Judgments } }
inactivity:
  - { id: dormant, of: [pay.done], after: P60D, points: -5, every: P30D, limit: -30, dimension: d2, reason: { code: F90, text: Dormant } }
`);

const arbFacts = fc.uniqueArray(
  fc
    .record({
      id: fc.integer({ min: 0, max: 1000 }),
      source: fc.constantFrom('shop', 'court'),
      type: fc.constantFrom('pay.done', 'court.judgment'),
      day: fc.integer({ min: 0, max: 300 }),
      amount: fc.integer({ min: 0, max: 300 }),
    })
    .map(
      ({ id, source, type, day, amount }): ScoringFact => ({
        key: factKey(source, `f${id}`),
        id: `f${id}`,
        source,
        type,
        at: T0 + day * DAY,
        data: { amount },
      }),
    ),
  { selector: (f) => f.key, minLength: 1, maxLength: 20 },
);

describe('duplicate facts', () => {
  it('a fact given twice counts once: score and explanation as with it once', () => {
    fc.assert(
      fc.property(
        arbFacts,
        fc.array(fc.nat(), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 0, max: 400 }),
        (facts, picks, day) => {
          const asOf = T0 + day * DAY;
          const again = picks.map((i) => ({ ...facts[i % facts.length]! }));
          const twice = [...facts, ...again];
          const once = scorePerson(rb, facts, asOf, []);
          expect(scorePerson(rb, twice, asOf, [])).toEqual(once);
          expect(explainPerson(rb, twice, asOf, []).outcome).toEqual(once);
        },
      ),
    );
  });
});
