import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileRulebook } from './compile.js';

// docs/rulebook.md: `points` is a number or CEL (int or double), type-checked at load, "never a
// scoring error". The checker accepts every numeric CEL type (int, uint, double); each must then
// give a number of points, not a value the scorer refuses fact after fact.

const book = (points: string) =>
  compileRulebook(
    `program: p
name: P
enrollment: opt-out
scale: { min: 0, max: 100000, base: 0 }
tiers: [{ id: A, min: 0 }]
events:
  shop.buy: { category: commerce, fields: { amount: number } }
rules:
  - { id: r, on: shop.buy, points: ${JSON.stringify(points)}, reason: { code: R, text: r } }
`,
    { file: 'p.yaml' },
  );

describe('points of every numeric CEL type', () => {
  it.each([
    ['uint(fact.amount)', (a: number) => Math.trunc(a)],
    ['uint(fact.amount) + 1u', (a: number) => Math.trunc(a) + 1],
    ['fact.amount > 10.0 ? 2u : 1u', (a: number) => (a > 10 ? 2 : 1)],
    ['int(fact.amount) * 2', (a: number) => Math.trunc(a) * 2],
    ['fact.amount / 4.0', (a: number) => a / 4],
  ])('%s gives a number of points', (points, want) => {
    const rule = book(points).rules[0]!;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), fc.constantFrom(0, 0.25, 0.5), (n, frac) => {
        const amount = n + frac;
        const got = rule.points({ amount });
        expect(typeof got).toBe('number');
        expect(got).toBe(want(amount));
      }),
    );
  });
});
