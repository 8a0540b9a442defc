import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { factKey, type ScoringFact } from '../facts/fact.js';
import { compileRulebook } from '../rulebook/compile.js';
import { explainPerson, PersonState, scorePerson } from './index.js';

// DESIGN.md: score = clamp(round(base + Σ contributions), min, max), halves up. Points written in
// decimals (fact.amount / 10.0, or 0.7 and -0.2) are worked by hand in decimals; the engine summed
// them in binary, where 0.7 + (-0.2) is 0.49999999999999994, so a base-0 scale gave 0 for a sum of
// 0.5, and -0 for -0.5.

const rb = compileRulebook(
  `program: t
name: T
enrollment: opt-out
scale: { min: -1000, max: 1000, base: 0 }
tiers: [{ id: A, min: -1000 }]
events:
  pay.done: { category: payment, fields: { tenths: number } }
rules:
  - { id: r, on: pay.done, points: "fact.tenths / 10.0", reason: { code: X, text: x } }
`,
  { file: 't.yaml' },
);
const fact = (i: number, tenths: number): ScoringFact => ({
  key: factKey('s', `f${i}`),
  id: `f${i}`,
  source: 's',
  type: 'pay.done',
  at: 1_000 + i,
  data: { tenths },
});
/** Round half up of a whole number of tenths, in integers: what a person works by hand. */
const byHand = (tenths: number[]) => {
  const t = tenths.reduce((a, b) => a + b, 0);
  return Math.floor((t + 5) / 10);
};

describe('rounding halves up on the decimal sum', () => {
  it('0.7 and -0.2 make 0.5, which rounds to 1; -0.7 and 0.2 make -0.5, which rounds to 0 (not -0)', () => {
    expect(scorePerson(rb, [fact(0, 7), fact(1, -2)], 10_000, [])).toMatchObject({ score: 1 });
    const neg = scorePerson(rb, [fact(0, -7), fact(1, 2)], 10_000, []);
    expect(neg).toMatchObject({ score: 0 });
    expect(Object.is(neg.status === 'scored' ? neg.score : Number.NaN, -0)).toBe(false);
  });

  it('any facts in tenths score what rounding their decimal sum half up by hand gives', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -99, max: 99 }), { minLength: 1, maxLength: 12 }), (tenths) => {
        const facts = tenths.map((t, i) => fact(i, t));
        const o = new PersonState(rb, facts).score(10_000, []);
        expect(o.status === 'scored' ? o.score : undefined).toBe(byHand(tenths));
        // Counterfactuals too: without the only reason the score is the base.
        const ex = explainPerson(rb, facts, 10_000, []);
        if (ex.outcome.status === 'scored')
          for (const c of ex.counterfactuals) expect(Object.is(c.without, -0)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });
});
