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

// Dimensions and reason points are given to two decimals (`credence score --json`, the API). Points
// written in thousandths are worked by hand in decimals too: 1.005 is 1.00499999999999989 in
// binary, so rounding what was stored gave 1.00, while 2.675 and 1.115 went up.
const rbDim = compileRulebook(
  `program: t
name: T
enrollment: opt-out
scale: { min: -1000, max: 1000, base: 0 }
tiers: [{ id: A, min: -1000 }]
dimensions: [d]
events:
  pay.done: { category: payment, fields: { milli: number } }
rules:
  - { id: r, on: pay.done, points: "fact.milli / 1000.0", dimension: d, reason: { code: X, text: x } }
`,
  { file: 't.yaml' },
);
const milliFact = (i: number, milli: number): ScoringFact => ({
  key: factKey('s', `f${i}`),
  id: `f${i}`,
  source: 's',
  type: 'pay.done',
  at: 1_000 + i,
  data: { milli },
});
/** Hundredths, half up, of a whole number of thousandths, in integers. */
const centsByHand = (milli: number[]) => {
  const c = Math.floor((milli.reduce((a, b) => a + b, 0) + 5) / 10) / 100;
  return c === 0 ? 0 : c;
};

describe('dimensions and reason points round half up to two decimals on the decimal sum', () => {
  it('1.005, 2.675 and 0.145 show as 1.01, 2.68 and 0.15', () => {
    for (const [milli, shown] of [
      [1005, 1.01],
      [2675, 2.68],
      [145, 0.15],
    ] as const) {
      const o = scorePerson(rbDim, [milliFact(0, milli)], 10_000, []);
      expect(o.status === 'scored' ? [o.dimensions.d, o.reasons[0]?.points] : undefined).toEqual([
        shown,
        shown,
      ]);
    }
  });

  it('a half reached by large points that cancel still rounds up: 947.054 − 946.969 shows 0.09', () => {
    // Summed in binary: 0.08499999999992269, and at 12 significant digits still under the half.
    for (const [milli, shown] of [
      [[947_054, -946_969], 0.09],
      [[48_316, 786_752, -835_013], 0.06],
      [[581_728, -974_979, -591_469, 984_675], -0.04],
    ] as const) {
      const o = scorePerson(
        rbDim,
        milli.map((m, i) => milliFact(i, m)),
        10_000,
        [],
      );
      expect(o.status === 'scored' ? [o.dimensions.d, o.reasons[0]?.points] : undefined).toEqual([
        shown,
        shown,
      ]);
    }
  });

  it('any points in thousandths give the dimension and the reason rounding their sum by hand gives', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -999_999, max: 999_999 }), { minLength: 1, maxLength: 8 }),
        (milli) => {
          const o = scorePerson(
            rbDim,
            milli.map((m, i) => milliFact(i, m)),
            10_000,
            [],
          );
          if (o.status !== 'scored') throw new Error('not scored');
          const want = centsByHand(milli);
          expect(o.dimensions.d).toBe(want);
          expect(o.reasons.find((r) => r.code === 'X')?.points ?? 0).toBe(want);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
