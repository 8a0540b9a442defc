// DESIGN.md: the score is a pure function of facts, rulebook and as-of. The order rules are written
// in is not part of a rulebook's meaning: a new version that only moves a rule up the file must
// give every person the same outcome, reasons and key factors included. Deductions of equal
// weight were listed in the order their rules were written (additions by code), so moving a rule
// changed which four key factors a relying party was told. Ties now go by reason code both ways.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { factKey, type ScoringFact } from '../facts/fact.js';
import { compileRulebook } from '../rulebook/compile.js';
import { DAY, T0 } from '../testing/builders.js';
import { scorePerson } from './index.js';

const HEAD = `program: t
name: T
enrollment: opt-out
scale: { min: 0, max: 2000, base: 1000 }
tiers: [{ id: A, min: 1000 }, { id: B, min: 0 }]
dimensions: [d1, d2]
events:
  e.a: { category: commerce, fields: { n: number } }
  e.b: { category: commerce, fields: { n: number } }
`;

// Many rules of equal weight, so ties among reasons are the rule.
const RULES = [
  '  - { id: r1, on: e.a, points: -5, dimension: d1, reason: { code: Z1, text: z1 } }',
  '  - { id: r2, on: e.a, points: -5, reason: { code: A1, text: a1 } }',
  '  - { id: r3, on: e.b, points: -5, dimension: d2, reason: { code: M1, text: m1 } }',
  '  - { id: r4, on: e.b, points: -5, reason: { code: C1, text: c1 } }',
  '  - { id: r5, on: e.a, points: -5, cap: { max: 5, per: P10D }, reason: { code: Q1, text: q1 } }',
  '  - { id: r6, on: e.a, points: 5, reason: { code: Y2, text: y2 } }',
  '  - { id: r7, on: e.b, points: 5, reason: { code: B2, text: b2 } }',
  '  - { id: r8, on: e.b, points: -10, decay: { expires: P20D }, reason: { code: K1, text: k1 } }',
];
const INACTIVITY = [
  '  - { id: i1, of: [e.a], after: P15D, points: -5, reason: { code: D1, text: d1 } }',
  '  - { id: i2, of: [e.b], after: P15D, points: -5, reason: { code: X1, text: x1 } }',
];

const book = (rules: readonly string[], inactivity: readonly string[]) =>
  compileRulebook(`${HEAD}rules:\n${rules.join('\n')}\ninactivity:\n${inactivity.join('\n')}\n`, {
    file: 't.yaml',
  });

const arbFacts = fc.uniqueArray(
  fc
    .record({
      id: fc.integer({ min: 0, max: 20 }),
      type: fc.constantFrom('e.a', 'e.b'),
      day: fc.nat({ max: 40 }),
    })
    .map(
      ({ id, type, day }): ScoringFact => ({
        key: factKey('s', `f${id}`),
        id: `f${id}`,
        source: 's',
        type,
        at: T0 + day * DAY,
        data: { n: 1 },
      }),
    ),
  { selector: (f) => f.key, minLength: 1, maxLength: 12 },
);

describe('the order rules are written in', () => {
  it('changes no outcome: reasons and key factors of equal weight go by code', () => {
    const written = book(RULES, INACTIVITY);
    fc.assert(
      fc.property(
        fc.shuffledSubarray(RULES, { minLength: RULES.length }),
        fc.shuffledSubarray(INACTIVITY, { minLength: INACTIVITY.length }),
        arbFacts,
        fc.integer({ min: 0, max: 80 }),
        (rules, inactivity, facts, day) => {
          const asOf = T0 + day * DAY;
          expect(scorePerson(book(rules, inactivity), facts, asOf, [])).toEqual(
            scorePerson(written, facts, asOf, []),
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it('lists deductions of equal weight by code, as additions', () => {
    const o = scorePerson(
      book(RULES, INACTIVITY),
      [{ key: 's/f', id: 'f', source: 's', type: 'e.a', at: T0, data: { n: 1 } }],
      T0,
      [],
    );
    expect(o.status === 'scored' && o.reasons.map((r) => r.code)).toEqual(['A1', 'Q1', 'Z1', 'Y2']);
    expect(o.status === 'scored' && o.keyFactors.map((r) => r.code)).toEqual(['A1', 'Q1', 'Z1']);
  });
});
