import { describe, expect, it } from 'vitest';
import { isCredenceError } from '../errors/index.js';
import type { ScoringFact } from '../facts/fact.js';
import { compileRulebook } from '../rulebook/compile.js';
import { MAX_POINTS } from '../rulebook/limits.js';
import { scorePerson } from './index.js';

// Points are bounded per rule and fact so that no person's sum can overflow: two hits of 1e308
// sum to Infinity, and a deduction after that makes the score NaN, which is in no tier at all.
const book = (points: string | number, scale = '{ min: 0, max: 1000, base: 500 }') =>
  compileRulebook(
    `program: p
name: P
enrollment: opt-out
scale: ${scale}
tiers: [{ id: A, min: 0 }]
events:
  shop.buy: { category: commerce, fields: { n: number } }
rules:
  - { id: r, on: shop.buy, points: ${JSON.stringify(points)}, reason: { code: R, text: r } }
`,
    { file: 'p.yaml' },
  );

const buy = (id: string, n: number, day: number): ScoringFact => ({
  key: `shop/${id}`,
  id,
  source: 'shop',
  type: 'shop.buy',
  at: Date.UTC(2026, 0, 1 + day),
  data: { n },
});

const codeOf = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    if (!isCredenceError(e)) return String(e);
    const where = e.details
      .filter((d) => d.path !== undefined)
      .map((d) => `${d.path}: ${d.reason}`)
      .join('; ');
    return `${e.code} ${e.message}${where ? ` [${where}]` : ''}`;
  }
  return undefined;
};

describe('points are bounded so that a score is always a number', () => {
  it('a CEL rule giving more than the bound on a fact is refused naming the rule and the fact', () => {
    const rb = book('fact.n');
    const asOf = Date.UTC(2026, 1, 1);
    // At the bound: scored (and clamped to the scale).
    expect(scorePerson(rb, [buy('a', MAX_POINTS, 0)], asOf, [])).toMatchObject({
      status: 'scored',
      score: 1000,
    });
    expect(scorePerson(rb, [buy('a', -MAX_POINTS, 0)], asOf, [])).toMatchObject({
      status: 'scored',
      score: 0,
    });
    // Beyond it, finite or not: refused, where the sum of 1e308 + 1e308 - 1 was NaN.
    for (const n of [MAX_POINTS + 1, -MAX_POINTS - 1, 1e308]) {
      const facts = [buy('a', n, 0), buy('b', n, 1), buy('c', -1, 2)];
      expect(
        codeOf(() => scorePerson(rb, facts, asOf, [])),
        String(n),
      ).toMatch(
        /^CREDENCE_E_FACT_INVALID rule "r" of p gave .* points for fact shop\/a, beyond the ±1,000,000,000 one rule may give$/,
      );
    }
  });

  it('a rulebook whose constant points or scale lie beyond the bound is refused at load', () => {
    expect(codeOf(() => book(1e10))).toMatch(
      /^CREDENCE_E_RULEBOOK_INVALID .*\[rules\[0\]\.points: must be <= 1000000000\]$/,
    );
    expect(codeOf(() => book(MAX_POINTS))).toBeUndefined();
    expect(codeOf(() => book(1, '{ min: 0, max: 1e300, base: 500 }'))).toMatch(
      /^CREDENCE_E_RULEBOOK_INVALID .*\[scale\.max: must be <= 1000000000\]$/,
    );
  });
});
