import { describe, expect, it } from 'vitest';
import { compileRulebook } from '../rulebook/compile.js';
import { pointWords } from './point-context.js';
import type { Contribution } from './types.js';

// The explanation says each point's rule in plain words; "gives 1 points" or "-1 points after 60
// days" is not how a person reads it. One point (either sign) is singular, every other count plural.

const rb = compileRulebook(`program: w
name: W
enrollment: opt-out
scale: { min: 0, max: 100, base: 50 }
tiers: [{ id: A, min: 0 }]
events:
  utility.paid: { category: utility, fields: { amount: number } }
rules:
  - { id: one, on: utility.paid, points: 1, reason: { code: A, text: a } }
  - { id: minus-one, on: utility.paid, points: -1, reason: { code: B, text: b } }
  - { id: half, on: utility.paid, points: 0.5, reason: { code: C, text: c } }
  - { id: two, on: utility.paid, points: 2, reason: { code: D, text: d } }
  - { id: cel, on: utility.paid, points: "fact.amount > 1.0 ? 1 : 2", reason: { code: E, text: e } }
inactivity:
  - { id: quiet, of: [utility.paid], after: P60D, points: -1, every: P30D, reason: { code: F, text: f } }
`);

const words = (kind: 'rule' | 'inactivity', ruleId: string) => {
  const c: Contribution = {
    kind,
    ruleId,
    ...(kind === 'rule' ? { type: 'utility.paid' } : {}),
    raw: 0,
    points: 0,
    reason: { code: 'A', text: 'a' },
    version: 1,
  };
  return pointWords(rb, c)?.rule.split('; ')[0];
};

describe('a rule in words counts its points as a person would', () => {
  it('one point is singular, of either sign; other counts and computed points plural', () => {
    expect(words('rule', 'one')).toBe('each utility.paid gives 1 point');
    expect(words('rule', 'minus-one')).toBe('each utility.paid gives -1 point');
    expect(words('rule', 'half')).toBe('each utility.paid gives 0.5 points');
    expect(words('rule', 'two')).toBe('each utility.paid gives 2 points');
    expect(words('rule', 'cel')).toBe(
      'each utility.paid gives 1 point if its amount is more than 1, else 2 points',
    );
    expect(words('inactivity', 'quiet')).toBe('-1 point after 60 days without any utility.paid');
  });
});
